/**
 * How children are linked to one another, in words for each side of the link. Pure, no I/O.
 *
 * A link is stored once, from `child_id` to `linked_child_id`; its kind describes the linked
 * child as seen from the first (HARMED_CHILD: the linked child was harmed by the first child's
 * behaviour). Sibling, peer and other read the same from both sides.
 */
export const ALL_LINK_KINDS = ['HARMED_CHILD', 'SIBLING', 'PEER', 'OTHER'] as const
export type LinkKind = (typeof ALL_LINK_KINDS)[number]

/** Which side of the stored link the child whose page we are on is. */
export type LinkDirection = 'FROM' | 'TO'

/** The labels on the form where a link is made (describing the other child). */
export const LINK_KIND_LABELS = {
  HARMED_CHILD: 'Harmed child',
  SIBLING: 'Sibling',
  PEER: 'Peer',
  OTHER: 'Other',
} as const satisfies Record<LinkKind, string>

const SEEN_FROM_HARMED_CHILD = 'Child who displayed the behaviour'

export function isLinkKind(value: unknown): value is LinkKind {
  return typeof value === 'string' && (ALL_LINK_KINDS as readonly string[]).includes(value)
}

/** What the other child is to the child whose page this is. */
export function linkLabel(kind: LinkKind, direction: LinkDirection): string {
  if (kind === 'HARMED_CHILD' && direction === 'TO') return SEEN_FROM_HARMED_CHILD
  return LINK_KIND_LABELS[kind]
}
