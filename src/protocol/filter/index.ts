// The packet filter language (spec frontend §5), pure: parse, print, evaluate.
export * from './ast.js';
export { parseFilter, type ParseResult, type FilterError } from './parser.js';
export { compileFilter, filterFields, type FieldSource } from './evaluate.js';
export { suggestFilter, type Suggestion, type Suggestions } from './suggest.js';
