// Reading the QR code with the device camera, where the browser can.
import { h, liveAttr } from '../lib/dom.ts';
import { say, statusLine } from '../lib/form.ts';
import { canScanQr, createScanner, type ScanFailure } from '../lib/scan.ts';
import type { Key } from '../strings/officer.ts';
import { T, t } from './shared.ts';

/** Closes the camera, if it is on: on sign-out, and whenever the page is hidden. */
export let closeCamera: () => void = () => {};

/** A camera outline drawn inline: an emoji may be missing from the fonts of a counter PC. */
function cameraIcon(): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'scan-icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.innerHTML =
    '<path d="M4 7h3l2-3h6l2 3h3v13H4z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/><circle cx="12" cy="13" r="4" fill="none" stroke="currentColor" stroke-width="2"/>';
  return svg;
}

const scanFailures: Record<ScanFailure, Key> = {
  denied: 'scanDenied',
  no_camera: 'scanNoCamera',
  failed: 'scanFailed',
};

/**
 * The "Scan QR" button (shown only where the browser can read QR codes from the camera) and the camera
 * panel it opens. The camera runs only while the panel is open: it stops on a hit, on Close or Escape,
 * on sign-out and when the page is hidden.
 */
export function cameraScan(
  input: HTMLInputElement,
  onHit: (value: string) => void,
): {
  button: HTMLButtonElement;
  panel: HTMLElement;
  note: HTMLParagraphElement;
} {
  const button = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      id: 'scan-open',
      hidden: true,
      'aria-controls': 'scanner',
      'aria-expanded': 'false',
    },
    cameraIcon(),
    T('scanOpen'),
  );
  const note = statusLine();
  note.hidden = true;
  const video = liveAttr(
    h('video', { class: 'scan-video', muted: true, playsinline: true, autoplay: true }),
    'aria-label',
    () => t('scanVideo'),
  );
  const state = statusLine('scan-state');
  const close = h('button', { type: 'button', class: 'secondary', id: 'scan-close' }, T('scanClose'));
  const panel = h(
    'div',
    { class: 'scanner', id: 'scanner', role: 'group', 'aria-labelledby': 'scan-title', hidden: true },
    h('p', { class: 'scan-title', id: 'scan-title' }, T('scanTitle')),
    h('div', { class: 'scan-frame' }, video, h('span', { class: 'scan-aim', 'aria-hidden': 'true' })),
    state,
    h('div', { class: 'actions' }, close, h('span', { class: 'hint' }, T('scanEscape'))),
  );

  const onKey = (ev: KeyboardEvent) => {
    if (ev.key !== 'Escape') return;
    ev.preventDefault();
    hide(true);
  };
  const onHidden = () => {
    if (document.visibilityState === 'hidden') hide(false);
  };
  const hide = (returnFocus: boolean) => {
    scanner.stop();
    document.removeEventListener('keydown', onKey);
    document.removeEventListener('visibilitychange', onHidden);
    const wasOpen = !panel.hidden;
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    if (returnFocus && wasOpen) button.focus();
  };
  const scanner = createScanner({
    onHit: (value) => {
      hide(false);
      onHit(value);
    },
    onFailure: (why) => {
      hide(false);
      say(note, () => t(scanFailures[why]), 'error');
      input.focus();
    },
  });
  closeCamera = () => hide(false);

  button.addEventListener('click', () => {
    if (!panel.hidden) return hide(true);
    say(note, null);
    panel.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    say(state, () => t('scanStarting'));
    document.addEventListener('keydown', onKey);
    document.addEventListener('visibilitychange', onHidden);
    close.focus();
    void scanner.start(video).then(() => {
      if (scanner.running) say(state, () => t('scanLooking'));
    });
  });
  close.addEventListener('click', () => hide(true));
  void canScanQr().then((yes) => {
    button.hidden = !yes;
  });
  return { button, panel, note };
}
