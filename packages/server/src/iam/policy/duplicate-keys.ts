// JSON.parse keeps the last of two equal keys, so `{"Condition": {…}, "Condition": {…}}` or two
// `StringEquals` blocks would silently drop a restriction. This scan (over text JSON.parse has
// already accepted) finds the first repeated key and the path of the object holding it, written
// the way validation errors write paths: `Statement[1].Condition.StringEquals`.

interface ObjectFrame {
  readonly array: false;
  readonly path: string;
  readonly keys: Set<string>;
  key: string;
  expectingKey: boolean;
}
interface ArrayFrame {
  readonly array: true;
  readonly path: string;
  index: number;
}
type Frame = ObjectFrame | ArrayFrame;

export const joinPath = (path: string, key: string) => (path ? `${path}.${key}` : key);

export function findDuplicateKey(text: string): { path: string; key: string } | undefined {
  const stack: Frame[] = [];
  const childPath = () => {
    const parent = stack[stack.length - 1];
    if (!parent) return '';
    return parent.array ? `${parent.path}[${parent.index}]` : joinPath(parent.path, parent.key);
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    const top = stack[stack.length - 1];
    if (char === '{') stack.push({ array: false, path: childPath(), keys: new Set(), key: '', expectingKey: true });
    else if (char === '[') stack.push({ array: true, path: childPath(), index: 0 });
    else if (char === '}' || char === ']') stack.pop();
    else if (char === ',') {
      if (top?.array) top.index++;
      else if (top) top.expectingKey = true;
    } else if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (top && !top.array && top.expectingKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return { path: top.path, key };
        top.keys.add(key);
        top.key = key;
        top.expectingKey = false;
      }
      i = end;
    }
  }
  return undefined;
}
