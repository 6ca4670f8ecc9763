// The `tg.io` namespace: reading and writing tensors in interchange formats (safetensors).
export { encodeSafetensors, decodeSafetensors } from './safetensors';
export type { SafetensorsContents } from './safetensors';
