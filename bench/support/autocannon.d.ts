/** The part of autocannon's API the benchmarks use (the package ships no types; @types/autocannon is not installed). */
declare module 'autocannon' {
  type Options = {
    url: string
    connections?: number
    duration?: number
    headers?: Record<string, string>
    timeout?: number
    requests?: {
      method?: string
      setupRequest?: (req: Record<string, unknown>, context: Record<string, unknown>) => Record<string, unknown>
    }[]
  }
  type Result = { errors: number; timeouts: number; non2xx: number; requests: { average: number } }
  type Instance = PromiseLike<Result> & {
    on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void
    stop(): void
  }
  function autocannon(options: Options): Instance
  export default autocannon
}
