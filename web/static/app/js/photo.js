// @ts-check
// Photos from the camera, made small on the phone before they are stored and sent: the long
// side at most 1600 px, JPEG. The server takes up to 10 MB; a phone on 3G should send far less.

export const MAX_SIDE = 1600;
const MAX_INPUT = 40 * 1024 * 1024; // bigger files are refused rather than decoded
const MAX_OUTPUT = 10 * 1024 * 1024;

export class PhotoError extends Error {
  constructor(kind, mb) {
    super(kind);
    this.kind = kind;
    this.mb = mb;
  }
}

const toBlob = (canvas, q) => new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', q));

// resize returns {blob, width, height, thumb} for a picture file.
export async function resize(file) {
  if (file.size > MAX_INPUT) throw new PhotoError('too_large', Math.round(file.size / 1048576));
  let bmp;
  try {
    bmp = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new PhotoError('unreadable');
  }
  const s = Math.min(1, MAX_SIDE / Math.max(bmp.width, bmp.height));
  const width = Math.max(1, Math.round(bmp.width * s));
  const height = Math.max(1, Math.round(bmp.height * s));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d').drawImage(bmp, 0, 0, width, height);
  let blob = await toBlob(canvas, 0.8);
  if (blob && blob.size > 1.5 * 1024 * 1024) blob = await toBlob(canvas, 0.6);
  if (!blob || blob.size > MAX_OUTPUT) throw new PhotoError('too_large', Math.round((blob?.size || file.size) / 1048576));
  // A small preview for the list, kept after the photo itself is sent and deleted.
  const ts = 144 / Math.max(width, height);
  const tc = document.createElement('canvas');
  tc.width = Math.round(width * ts);
  tc.height = Math.round(height * ts);
  tc.getContext('2d').drawImage(bmp, 0, 0, tc.width, tc.height);
  bmp.close();
  return { blob, width, height, thumb: tc.toDataURL('image/jpeg', 0.6) };
}
