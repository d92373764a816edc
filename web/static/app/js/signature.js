// @ts-check
// The inspection record's signatures (biên bản kiểm tra): at the end of a visit the inspector and
// the business's representative sign with a finger on a canvas, or the representative refuses
// (a reason is written down). Everything stays in the draft on the phone and is queued after the
// inspection as a "record" operation of /sync, so that it works offline like the rest; the server
// keeps a signed record once and refuses changes to it.

import { getLang } from './i18n.js';

const TEXT = {
  vi: {
    title: 'Biên bản kiểm tra',
    intro: 'Đọc lại biên bản cho người đại diện cơ sở, ghi ý kiến của họ rồi cùng ký.',
    repName: 'Họ tên người đại diện cơ sở',
    repRole: 'Chức vụ / quan hệ với cơ sở',
    statement: 'Ý kiến của người đại diện',
    inspectorSign: 'Chữ ký cán bộ kiểm tra',
    repSign: 'Chữ ký người đại diện cơ sở',
    clear: 'Ký lại',
    refused: 'Người đại diện từ chối ký',
    refusalNote: 'Lý do từ chối ký',
    signHere: 'Ký bằng ngón tay trong khung',
    needInspector: 'Cán bộ kiểm tra chưa ký biên bản.',
    needName: 'Chưa ghi họ tên người đại diện cơ sở.',
    needRep: 'Người đại diện chưa ký; nếu họ từ chối, hãy đánh dấu "từ chối ký" và ghi lý do.',
    needReason: 'Chưa ghi lý do người đại diện từ chối ký.',
    signed: 'Đã ký',
  },
  en: {
    title: 'Inspection record',
    intro: 'Read the record to the business’s representative, write down their statement, then both sign.',
    repName: 'Representative’s full name',
    repRole: 'Role / relation to the business',
    statement: 'Representative’s statement',
    inspectorSign: 'Inspector’s signature',
    repSign: 'Representative’s signature',
    clear: 'Sign again',
    refused: 'The representative refuses to sign',
    refusalNote: 'Reason for refusing',
    signHere: 'Sign with a finger in the box',
    needInspector: 'The inspector has not signed the record.',
    needName: 'The representative’s name is missing.',
    needRep: 'The representative has not signed; if they refuse, tick “refuses to sign” and write the reason.',
    needReason: 'The reason for refusing to sign is missing.',
    signed: 'Signed',
  },
};

/** @param {keyof typeof TEXT.vi} k */
const tr = (k) => (getLang() === 'en' ? TEXT.en : TEXT.vi)[k];

/**
 * @typedef {{representative_name: string, representative_role: string, statement: string, refused: boolean,
 *   refusal_note: string, inspector: string | null, representative: string | null}} RecordDraft
 */

/** @returns {RecordDraft} */
const empty = () => ({ representative_name: '', representative_role: '', statement: '', refused: false, refusal_note: '', inspector: null, representative: null });

/**
 * pad is a canvas to sign on with a finger, a pen or a mouse (pointer events). onDone gets the
 * signature as a PNG data URL after each stroke, or null once cleared.
 * @param {string} id
 * @param {string | null} value a data URL drawn back when the view opens again
 * @param {boolean} ro
 * @param {(url: string | null) => void} onDone
 */
function pad(id, value, ro, onDone) {
  const canvas = document.createElement('canvas');
  canvas.id = id;
  canvas.className = 'sign-pad';
  canvas.width = 600;
  canvas.height = 200;
  canvas.setAttribute('aria-label', tr('signHere'));
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  const pen = () => {
    ctx.lineWidth = 3.5;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#102060';
  };
  pen();
  if (value) {
    const img = new Image();
    img.onload = () => { ctx.drawImage(img, 0, 0, canvas.width, canvas.height); };
    img.src = value;
  }
  /** @param {PointerEvent} ev */
  const point = (ev) => {
    const r = canvas.getBoundingClientRect();
    return [(ev.clientX - r.left) * (canvas.width / r.width), (ev.clientY - r.top) * (canvas.height / r.height)];
  };
  let drawing = false;
  if (!ro) {
    canvas.addEventListener('pointerdown', (ev) => {
      ev.preventDefault();
      canvas.setPointerCapture(ev.pointerId);
      drawing = true;
      const [x, y] = point(ev);
      ctx.beginPath();
      ctx.moveTo(x, y);
      // A dot is a stroke too: a tap leaves a mark.
      ctx.lineTo(x + 0.1, y + 0.1);
      ctx.stroke();
    });
    canvas.addEventListener('pointermove', (ev) => {
      if (!drawing) return;
      const [x, y] = point(ev);
      ctx.lineTo(x, y);
      ctx.stroke();
    });
    const end = () => {
      if (!drawing) return;
      drawing = false;
      onDone(canvas.toDataURL('image/png'));
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }
  const clear = () => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    pen();
    onDone(null);
  };
  return { canvas, clear };
}

/**
 * recordCard is the record's section of the checklist screen.
 * @param {{record?: RecordDraft}} d the task's draft; d.record is created here
 * @param {{h: Function, ro: boolean, save: () => void, inspectorName: string}} o
 */
export function recordCard(d, { h, ro, save, inspectorName }) {
  const r = (d.record ||= empty());
  /** @param {keyof RecordDraft} key */
  const input = (key, label, id, multi) => h('label', { class: 'field', for: id }, h('span', {}, label),
    h(multi ? 'textarea' : 'input', { id, rows: multi ? 3 : null, disabled: ro, value: /** @type {string} */ (r[key]) || '',
      oninput: (/** @type {any} */ ev) => { /** @type {any} */ (r)[key] = ev.target.value; save(); } }));
  const block = (label, id, key, who) => {
    const box = h('div', { class: 'sign-block', 'data-signed': String(!!r[key]) });
    const p = pad(id, r[key], ro, (url) => { r[key] = url; box.dataset.signed = String(!!url); save(); });
    box.append(h('p', { class: 'sign-label' }, label), p.canvas, h('p', { class: 'sub' }, who || ''),
      ro ? '' : h('button', { type: 'button', class: 'link', id: `${id}-clear`, onclick: () => p.clear() }, tr('clear')));
    return box;
  };
  const repBox = h('div', { id: 'rep-sign-box' });
  const drawRep = () => repBox.replaceChildren(r.refused
    ? input('refusal_note', tr('refusalNote'), 'refusal-note', true)
    : block(tr('repSign'), 'sign-representative', 'representative', r.representative_name));
  drawRep();
  return h('section', { class: 'card', id: 'record' },
    h('h3', {}, tr('title')),
    h('p', { class: 'sub' }, tr('intro')),
    input('representative_name', tr('repName'), 'rep-name', false),
    input('representative_role', tr('repRole'), 'rep-role', false),
    input('statement', tr('statement'), 'rep-statement', true),
    block(tr('inspectorSign'), 'sign-inspector', 'inspector', inspectorName),
    h('label', { class: 'opt' }, h('input', { type: 'checkbox', id: 'rep-refused', checked: r.refused, disabled: ro,
      onchange: (/** @type {any} */ ev) => { r.refused = ev.target.checked; if (r.refused) r.representative = null; save(); drawRep(); } }),
    h('span', {}, tr('refused'))),
    repBox);
}

/**
 * recordBody is the /sync "record" operation's body for the draft, null when nothing of the
 * record was entered (a visit with no record), or {error} when it is incomplete.
 * @param {{record?: RecordDraft}} d
 * @param {string} inspectionId
 * @returns {null | {error: string} | Record<string, any>}
 */
export function recordBody(d, inspectionId) {
  const r = d.record;
  if (!r || (!r.inspector && !r.representative && !r.representative_name.trim() && !r.statement.trim() && !r.refused)) return null;
  if (!r.inspector) return { error: tr('needInspector') };
  if (!r.representative_name.trim()) return { error: tr('needName') };
  if (r.refused && !r.refusal_note.trim()) return { error: tr('needReason') };
  if (!r.refused && !r.representative) return { error: tr('needRep') };
  const b64 = (/** @type {string | null} */ url) => (url ? url.slice(url.indexOf(',') + 1) : '');
  return {
    inspection_id: inspectionId,
    representative_name: r.representative_name.trim().normalize('NFC'),
    representative_role: r.representative_role.trim().normalize('NFC'),
    statement: r.statement.trim().normalize('NFC'),
    refused: r.refused,
    refusal_note: r.refused ? r.refusal_note.trim().normalize('NFC') : '',
    inspector_signature: b64(r.inspector),
    ...(r.refused ? {} : { representative_signature: b64(r.representative) }),
  };
}
