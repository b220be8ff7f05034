// Preload (node --require) that moves this process's real date forward by REAL_DATE_SHIFT_MS, as on a
// machine whose clock reads 2030: Date.now() and `new Date()` shift, timers do not.
const shift = Number(process.env.REAL_DATE_SHIFT_MS ?? 0);
const RealDate = Date;
class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + shift);
    else super(...args);
  }
  static now() {
    return RealDate.now() + shift;
  }
}
globalThis.Date = ShiftedDate;
