export * from './types';
export { AtLeastOneOf, ExactlyOneOf, KeepsRaw, MutuallyExclusive, NotBlank, Optional, ParamDefaults, Requires } from './decorators';
export type { NullRule, ParamOptions } from './decorators';
export { Nested, NestedArray, rawOf, readParams } from './plan';
