/** An OData $filter expression parsed into a tree; the grammar is the subset Graph documents for our resources. */
export type FilterLiteral =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'datetime'; value: number; text: string }
  | { kind: 'guid'; value: string };

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: CompareOp; path: string[]; value: FilterLiteral }
  | { kind: 'in'; path: string[]; values: FilterLiteral[] }
  | { kind: 'function'; name: 'startswith' | 'endswith' | 'contains'; path: string[]; value: FilterLiteral }
  | { kind: 'lambda'; quantifier: 'any' | 'all'; path: string[]; variable: string; body: FilterNode };

/** Thrown for a syntax error; the server answers it with Graph's 400. */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}

type Token =
  | { type: 'string'; value: string; pos: number }
  | { type: 'word'; value: string; pos: number }
  | { type: 'punct'; value: '(' | ')' | ',' | ':' | '/'; pos: number };

const COMPARE_OPS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set<string>(['startswith', 'endswith', 'contains']);
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const WORD_CHAR = /[A-Za-z0-9_.:+\-@#$]/;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input.charAt(i);
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= input.length) throw new FilterSyntaxError(`unterminated string literal at position ${start}`, start);
        const c = input.charAt(i);
        if (c === "'") {
          // OData escapes a quote inside a literal by doubling it.
          if (input.charAt(i + 1) === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      tokens.push({ type: 'string', value, pos: start });
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',' || ch === '/') {
      tokens.push({ type: 'punct', value: ch, pos: i });
      i++;
      continue;
    }
    if (ch === ':' && !/\d/.test(input.charAt(i + 1))) {
      tokens.push({ type: 'punct', value: ':', pos: i });
      i++;
      continue;
    }
    if (WORD_CHAR.test(ch)) {
      const start = i;
      while (i < input.length && WORD_CHAR.test(input.charAt(i))) {
        // A ':' ends a word unless it sits inside a time (hh:mm), which the lambda separator never does.
        if (input.charAt(i) === ':' && !(/\d/.test(input.charAt(i - 1)) && /\d/.test(input.charAt(i + 1)))) break;
        i++;
      }
      const word = input.slice(start, i);
      // Enum literals such as microsoft.graph.riskLevel'high' carry their value as a quoted suffix.
      if (input.charAt(i) === "'" && word.includes('.')) {
        const rest = tokenize(input.slice(i))[0];
        if (rest?.type === 'string') {
          tokens.push({ type: 'string', value: rest.value, pos: start });
          i += rest.value.replace(/'/g, "''").length + 2;
          continue;
        }
      }
      tokens.push({ type: 'word', value: word, pos: start });
      continue;
    }
    throw new FilterSyntaxError(`character '${ch}' is not valid at position ${i}`, i);
  }
  return tokens;
}

class Parser {
  private index = 0;
  private readonly variables: string[] = [];

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): FilterNode {
    if (this.tokens.length === 0) throw new FilterSyntaxError('empty filter', 0);
    const node = this.parseOr();
    const extra = this.peek();
    if (extra) throw this.error(`unexpected '${extra.value}'`, extra.pos);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (!token) throw this.error('unexpected end of filter', this.source.length);
    this.index++;
    return token;
  }

  private error(message: string, pos: number): FilterSyntaxError {
    return new FilterSyntaxError(`Syntax error: ${message} at position ${pos} in '${this.source}'.`, pos);
  }

  private expectPunct(value: string): void {
    const token = this.next();
    if (token.type !== 'punct' || token.value !== value) throw this.error(`expected '${value}'`, token.pos);
  }

  private isWord(value: string): boolean {
    const token = this.peek();
    return token?.type === 'word' && token.value.toLowerCase() === value;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.isWord('or')) {
      this.index++;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.isWord('and')) {
      this.index++;
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.isWord('not')) {
      this.index++;
      return { kind: 'not', operand: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): FilterNode {
    const token = this.next();
    if (token.type === 'punct' && token.value === '(') {
      const inner = this.parseOr();
      this.expectPunct(')');
      return inner;
    }
    if (token.type !== 'word') throw this.error(`unexpected '${token.value}'`, token.pos);
    const lower = token.value.toLowerCase();
    const after = this.peek();
    if (FUNCTIONS.has(lower) && after?.type === 'punct' && after.value === '(') {
      this.index++;
      const path = this.parsePath(this.next());
      this.expectPunct(',');
      const value = this.parseLiteral(this.next());
      this.expectPunct(')');
      return { kind: 'function', name: lower as 'startswith' | 'endswith' | 'contains', path, value };
    }
    const path = this.parsePath(token);
    const last = path[path.length - 1];
    if ((last === 'any' || last === 'all') && this.peek()?.value === '(') {
      this.index++;
      const variable = this.next();
      if (variable.type !== 'word') throw this.error('expected a lambda variable', variable.pos);
      this.expectPunct(':');
      this.variables.push(variable.value);
      const body = this.parseOr();
      this.variables.pop();
      this.expectPunct(')');
      return { kind: 'lambda', quantifier: last, path: path.slice(0, -1), variable: variable.value, body };
    }
    const op = this.next();
    const opName = op.value.toLowerCase();
    if (op.type === 'word' && opName === 'in') {
      this.expectPunct('(');
      const values: FilterLiteral[] = [this.parseLiteral(this.next())];
      while (this.peek()?.value === ',') {
        this.index++;
        values.push(this.parseLiteral(this.next()));
      }
      this.expectPunct(')');
      return { kind: 'in', path, values };
    }
    if (op.type !== 'word' || !COMPARE_OPS.has(opName))
      throw this.error(`expected an operator after '${path.join('/')}'`, op.pos);
    return { kind: 'compare', op: opName as CompareOp, path, value: this.parseLiteral(this.next()) };
  }

  private parsePath(first: Token): string[] {
    if (first.type !== 'word' || !/^[A-Za-z_$][A-Za-z0-9_]*$/.test(first.value)) {
      throw this.error(`expected a property name, found '${first.value}'`, first.pos);
    }
    const path = [first.value];
    while (this.peek()?.value === '/') {
      this.index++;
      const segment = this.next();
      if (segment.type !== 'word' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment.value)) {
        throw this.error('expected a property name after /', segment.pos);
      }
      path.push(segment.value);
    }
    return path;
  }

  private parseLiteral(token: Token): FilterLiteral {
    if (token.type === 'string') return { kind: 'string', value: token.value };
    if (token.type !== 'word') throw this.error(`expected a value, found '${token.value}'`, token.pos);
    const text = token.value;
    const lower = text.toLowerCase();
    if (lower === 'true' || lower === 'false') return { kind: 'boolean', value: lower === 'true' };
    if (lower === 'null') return { kind: 'null' };
    if (DATETIME.test(text)) {
      const value = Date.parse(text);
      if (Number.isNaN(value)) throw this.error(`invalid date '${text}'`, token.pos);
      return { kind: 'datetime', value, text };
    }
    if (GUID.test(text)) return { kind: 'guid', value: text.toLowerCase() };
    if (NUMBER.test(text)) return { kind: 'number', value: Number(text) };
    throw this.error(`'${text}' is not a valid literal`, token.pos);
  }
}

/** Parses a $filter value; throws FilterSyntaxError on anything outside the grammar. */
export function parseFilter(source: string): FilterNode {
  return new Parser(tokenize(source), source).parse();
}
