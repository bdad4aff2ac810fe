/** class-transformer's metadata storage (what `@Type` and `@Transform` declare): typed by the package, not exported. */
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
