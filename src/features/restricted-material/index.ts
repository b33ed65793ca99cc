/** The restricted interview material (ABE) feature's public face: its module. */
export { restrictedMaterialModule, type RestrictedMaterialModule } from './restricted-material.module.js'
