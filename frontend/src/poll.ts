/**
 * Live updates: a page refreshes itself on a timer while it is shown; navigating away stops it.
 */
let stopCurrent: (() => void) | null = null;

/** Runs `refresh` now and every `intervalMs` until the next page starts its own (or `stopPolling`). `refresh` answers false to stop. */
export function startPolling(refresh: () => Promise<boolean>, intervalMs: number): void {
    stopPolling();
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async (): Promise<void> => {
        const again = await refresh();
        if (!stopped && again) timer = setTimeout(() => void tick(), intervalMs);
    };
    stopCurrent = () => {
        stopped = true;
        clearTimeout(timer);
    };
    void tick();
}

export function stopPolling(): void {
    stopCurrent?.();
    stopCurrent = null;
}
