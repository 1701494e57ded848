import { isValidElement } from 'react';
import { describe, expect, it } from 'vitest';
import { highlight } from '../../renderer/features/search/SearchBox.js';

const marked = (nodes: ReturnType<typeof highlight>) => nodes.filter(isValidElement).map((n) => (n.props as { children: string }).children);

describe('search highlight', () => {
  it('marks every word of the query, Chinese and English, ignoring case', () => {
    const nodes = highlight('Printer not printing — 打印机卡纸 printer', 'printer 打印机');
    expect(marked(nodes)).toEqual(['Printer', '打印机', 'printer']);
    expect(nodes.map((n) => (isValidElement(n) ? (n.props as { children: string }).children : n)).join('')).toBe('Printer not printing — 打印机卡纸 printer');
  });
  it('treats regular-expression characters in the query as text', () => {
    expect(marked(highlight('C++ (x86) build', 'c++ (x86)'))).toEqual(['C++', '(x86)']);
  });
});
