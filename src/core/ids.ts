// One counter for tensor and variable ids, so ids are unique and increasing across both.
let next = 0;

/** The next unique, increasing id. */
export function nextId(): number {
  return next++;
}
