export * from './types';
export { LooseText, LooseTextList } from './loose';
export { AllOrNoneOf, AllStorable, AtLeastOneOf, ExactlyOneOf, KeepsRaw, MutuallyExclusive, NotBlank, Optional, ParamDefaults, Requires } from './decorators';
export type { NullRule, ParamOptions } from './decorators';
export { Nested, NestedArray, rawOf, readParams } from './plan';
export { IsoDate, Timestamp } from './timestamps';
export { PageParams } from './page';
