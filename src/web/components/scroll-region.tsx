/**
 * A box that scrolls sideways when its content (a wide table) does not fit. While it overflows it
 * is a named, focusable region, so keyboard users can scroll it with the arrow keys (WCAG 2.1.1;
 * axe's scrollable-region-focusable); while everything fits it adds no tab stop.
 */
import { useLayoutEffect, useRef, useState, type ReactNode } from "react";

export function ScrollRegion({ label, children, className = "", testId }: { label: string; children: ReactNode; className?: string; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [overflowing, setOverflowing] = useState(false);

  useLayoutEffect(() => {
    const box = ref.current;
    if (!box) return;
    const check = () => setOverflowing(box.scrollWidth > box.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(box);
    for (const child of box.children) observer.observe(child);
    return () => observer.disconnect();
  }, []);

  return (
    <div
      ref={ref}
      className={`overflow-x-auto focus-visible:-outline-offset-2 ${className}`}
      data-testid={testId}
      {...(overflowing ? { tabIndex: 0, role: "region", "aria-label": `${label} (scrolls sideways)` } : {})}
    >
      {children}
    </div>
  );
}
