// QR scanning with the browser's own BarcodeDetector (Chrome on Android and ChromeOS, Safari on macOS) and
// the back camera: no decoding library in the bundle. Where the API is missing the button is never shown
// and the officer types the code (or uses a USB scanner that types like a keyboard).

interface DetectedBarcode {
  rawValue: string;
  format?: string;
}
interface Detector {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
interface DetectorClass {
  new (opts: { formats: string[] }): Detector;
  getSupportedFormats?: () => Promise<string[]>;
}

const detectorClass = (): DetectorClass | undefined =>
  (window as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;

/** Whether this browser can scan at all: the detector and a camera API (only in a secure context). */
export function canScan(): boolean {
  return 'BarcodeDetector' in window && typeof navigator.mediaDevices?.getUserMedia === 'function';
}

/** Some browsers expose the API without a QR decoder on this device; asked once, before the button shows. */
export async function canScanQr(): Promise<boolean> {
  const D = detectorClass();
  if (!canScan() || !D) return false;
  if (typeof D.getSupportedFormats !== 'function') return true;
  try {
    return (await D.getSupportedFormats()).includes('qr_code');
  } catch {
    return false;
  }
}

/**
 * The first non-empty QR value in a detection result, trimmed; null when nothing usable was seen. The
 * payload (FAIRSLOT:<code>:<office>:<date>, or a bare code) goes to the server as it is.
 */
export function firstQrValue(found: readonly { rawValue?: string | null }[]): string | null {
  for (const b of found) {
    const v = b.rawValue?.trim();
    if (v) return v;
  }
  return null;
}

export type ScanFailure = 'denied' | 'no_camera' | 'failed';

export interface Scanner {
  /** Starts the back camera in `video` and looks for a QR code until a hit, stop() or a failure. */
  start(video: HTMLVideoElement): Promise<void>;
  stop(): void;
  readonly running: boolean;
}

/** How often a frame is examined: often enough to feel instant, rarely enough for a cheap phone. */
const INTERVAL_MS = 150;

export function createScanner(handlers: {
  onHit: (value: string) => void;
  onFailure: (why: ScanFailure) => void;
}): Scanner {
  let stream: MediaStream | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let video: HTMLVideoElement | null = null;
  // Bumped on every start and stop, so a late camera or detection result of an old run is dropped.
  let run = 0;

  const stop = () => {
    run++;
    clearTimeout(timer);
    for (const track of stream?.getTracks() ?? []) track.stop();
    stream = null;
    if (video) {
      video.pause();
      video.srcObject = null;
    }
  };

  return {
    get running() {
      return stream !== null;
    },
    stop,
    async start(v) {
      stop();
      const mine = run;
      video = v;
      const D = detectorClass();
      if (!D) return handlers.onFailure('failed');
      let s: MediaStream;
      try {
        s = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: { ideal: 'environment' } },
          audio: false,
        });
      } catch (err) {
        if (mine !== run) return;
        const name = (err as { name?: string }).name;
        return handlers.onFailure(
          name === 'NotAllowedError' || name === 'SecurityError'
            ? 'denied'
            : name === 'NotFoundError' || name === 'OverconstrainedError'
              ? 'no_camera'
              : 'failed',
        );
      }
      if (mine !== run) {
        for (const track of s.getTracks()) track.stop();
        return;
      }
      stream = s;
      v.srcObject = s;
      v.muted = true;
      v.playsInline = true;
      await v.play().catch(() => {});
      const detector = new D({ formats: ['qr_code'] });
      const tick = async () => {
        if (mine !== run) return;
        let value: string | null = null;
        try {
          // Before the first frame the detector answers with nothing, which is fine.
          value = firstQrValue(await detector.detect(v));
        } catch {}
        if (mine !== run) return;
        if (value) {
          stop();
          handlers.onHit(value);
          return;
        }
        timer = setTimeout(tick, INTERVAL_MS);
      };
      void tick();
    },
  };
}
