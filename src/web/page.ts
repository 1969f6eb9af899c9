/** A rendered page: its element, and what to stop (streams, timers, charts) when the user leaves it. */
export interface Page {
  el: HTMLElement;
  /** The page's title, for document.title. */
  title: string;
  dispose(): void;
}

/** Collects cleanups so a page can be torn down in one call. */
export class Disposer {
  private readonly fns: Array<() => void> = [];
  disposed = false;

  add(fn: () => void): void {
    if (this.disposed) fn();
    else this.fns.push(fn);
  }

  dispose(): void {
    this.disposed = true;
    for (const fn of this.fns.splice(0).reverse()) {
      try {
        fn();
      } catch {
        // One failing cleanup must not keep the others from running.
      }
    }
  }
}
