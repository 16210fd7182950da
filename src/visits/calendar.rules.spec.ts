import { applyChange, type Calendar, misfits, occurrenceGone, type PlacedVisit } from './calendar.rules';

// 2026-12-16 is a Wednesday (ISO 3).
const DAY = '2026-12-16';

function calendar(): Calendar {
  return {
    rooms: [
      { id: 'A', name: 'Parloir A', kind: 'ORDINARY', cabins: 4, active: true },
      { id: 'B', name: 'Parloir B', kind: 'ORDINARY', cabins: 4, active: true },
    ],
    templates: [
      { id: 'tA', roomId: 'A', dayOfWeek: 3, start: '14:00', end: '15:00', capacity: 3, validFrom: '2026-01-01', validTo: null },
      { id: 'tB', roomId: 'B', dayOfWeek: 3, start: '14:00', end: '15:00', capacity: 4, validFrom: '2026-01-01', validTo: null },
    ],
    closures: [],
  };
}

function visit(id: string, o: Partial<PlacedVisit> = {}): PlacedVisit {
  return {
    id,
    slotId: 'sA',
    roomId: 'A',
    templateId: 'tA',
    day: DAY,
    start: '14:00',
    end: '15:00',
    slotCapacity: 3,
    slotHeld: 0,
    bookedAt: new Date(`2026-12-01T10:0${id.length}:00Z`),
    ...o,
  };
}

const reasons = (c: Calendar, visits: PlacedVisit[]) => misfits(visits, c).map((m) => [m.visitId, m.cause, m.reason]);

describe('what a calendar change does to booked visits', () => {
  it('a closure of the day hits every room, a closure of a room or a slot only theirs, with the reason typed', () => {
    const visits = [visit('1'), visit('2', { slotId: 'sB', roomId: 'B', templateId: 'tB' })];
    const day = applyChange(calendar(), { kind: 'CLOSE', closure: { day: DAY, roomId: null, templateId: null, reason: 'Grève' } });
    expect(reasons(day, visits)).toEqual([
      ['1', 'CLOSURE', 'Grève'],
      ['2', 'CLOSURE', 'Grève'],
    ]);
    const room = applyChange(calendar(), { kind: 'CLOSE', closure: { day: DAY, roomId: 'B', templateId: null, reason: 'Travaux' } });
    expect(reasons(room, visits)).toEqual([['2', 'CLOSURE', 'Travaux']]);
    const slot = applyChange(calendar(), { kind: 'CLOSE', closure: { day: DAY, roomId: 'A', templateId: 'tA', reason: 'Exercice' } });
    expect(reasons(slot, visits)).toEqual([['1', 'CLOSURE', 'Exercice']]);
    const otherDay = applyChange(calendar(), {
      kind: 'CLOSE',
      closure: { day: '2026-12-23', roomId: null, templateId: null, reason: 'Grève' },
    });
    expect(reasons(otherDay, visits)).toEqual([]);
  });

  it('lifting a closure leaves no visit out', () => {
    const c = { ...calendar(), closures: [{ id: 'c1', day: DAY, roomId: null, templateId: null, reason: 'Grève' }] };
    expect(reasons(applyChange(c, { kind: 'LIFT', closureId: 'c1' }), [visit('1')])).toEqual([]);
  });

  it('a closure edited replaces the old one: visits of its new day, room or slot are hit with the new reason, those of its old day freed', () => {
    const nextWeek = '2026-12-23';
    const c = { ...calendar(), closures: [{ id: 'c1', day: nextWeek, roomId: null, templateId: null, reason: 'Grève' }] };
    const visits = [visit('1'), visit('2', { slotId: 'sB', roomId: 'B', templateId: 'tB' }), visit('3', { slotId: 'sN', day: nextWeek })];
    expect(reasons(c, visits)).toEqual([['3', 'CLOSURE', 'Grève']]);
    const moved = applyChange(c, {
      kind: 'EDIT_CLOSURE',
      closureId: 'c1',
      closure: { day: DAY, roomId: 'B', templateId: null, reason: 'Travaux' },
    });
    expect(moved.closures).toEqual([{ id: 'c1', day: DAY, roomId: 'B', templateId: null, reason: 'Travaux' }]);
    expect(reasons(moved, visits)).toEqual([['2', 'CLOSURE', 'Travaux']]);
    const reworded = applyChange(c, { kind: 'EDIT_CLOSURE', closureId: 'c1', closure: { ...c.closures[0], reason: 'Grève nationale' } });
    expect(reasons(reworded, visits)).toEqual([['3', 'CLOSURE', 'Grève nationale']]);
    // Another closure is left as it is.
    const two = { ...c, closures: [...c.closures, { id: 'c2', day: DAY, roomId: 'A', templateId: null, reason: 'Exercice' }] };
    const edited = applyChange(two, { kind: 'EDIT_CLOSURE', closureId: 'c1', closure: { ...c.closures[0], templateId: 'tB' } });
    expect(edited.closures.find((x) => x.id === 'c2')).toEqual(two.closures[1]);
    expect(reasons(edited, visits)).toEqual([['1', 'CLOSURE', 'Exercice']]);
  });

  it('a room deactivated loses its visits, a room with fewer cabins its last booked ones', () => {
    const visits = [visit('1'), visit('22'), visit('333')];
    const room = { name: 'Parloir A', kind: 'ORDINARY' as const, cabins: 4, active: false };
    expect(reasons(applyChange(calendar(), { kind: 'ROOM', roomId: 'A', room }), visits).map((r) => r[1])).toEqual([
      'ROOM',
      'ROOM',
      'ROOM',
    ]);
    const smaller = applyChange(calendar(), { kind: 'ROOM', roomId: 'A', room: { ...room, cabins: 2, active: true } });
    expect(smaller.templates.find((t) => t.id === 'tA')!.capacity).toBe(2);
    expect(reasons(smaller, visits)).toEqual([['333', 'CAPACITY', 'le nombre de places du créneau de votre visite a été réduit']]);
  });

  it('a weekly slot moved to other hours or another day, or ended, loses its visits; places held count as taken', () => {
    const t = calendar().templates[0];
    const visits = [visit('1'), visit('22')];
    const later = applyChange(calendar(), { kind: 'TEMPLATE', templateId: 'tA', template: { ...t, start: '15:00', end: '16:00' } });
    expect(reasons(later, visits).map((r) => r[1])).toEqual(['TEMPLATE', 'TEMPLATE']);
    const ended = applyChange(calendar(), { kind: 'TEMPLATE', templateId: 'tA', template: { ...t, validTo: '2026-12-15' } });
    expect(reasons(ended, visits).map((r) => r[1])).toEqual(['TEMPLATE', 'TEMPLATE']);
    const longer = applyChange(calendar(), { kind: 'TEMPLATE', templateId: 'tA', template: { ...t, validTo: DAY } });
    expect(reasons(longer, visits)).toEqual([]);
    const one = applyChange(calendar(), { kind: 'TEMPLATE', templateId: 'tA', template: { ...t, capacity: 2 } });
    expect(
      reasons(
        one,
        visits.map((v) => ({ ...v, slotHeld: 1 })),
      ).map((r) => r[0]),
    ).toEqual(['22']);
  });

  it('a visit of a GENESIS list (no weekly slot) is hit only by its room or a closure', () => {
    const genesis = visit('1', { templateId: null, slotCapacity: 1 });
    const t = calendar().templates[0];
    expect(reasons(applyChange(calendar(), { kind: 'TEMPLATE', templateId: 'tA', template: { ...t, start: '09:00' } }), [genesis])).toEqual(
      [],
    );
    const slot = applyChange(calendar(), { kind: 'CLOSE', closure: { day: DAY, roomId: 'A', templateId: 'tA', reason: 'Exercice' } });
    expect(reasons(slot, [genesis])).toEqual([]);
    const room = applyChange(calendar(), { kind: 'CLOSE', closure: { day: DAY, roomId: 'A', templateId: null, reason: 'Travaux' } });
    expect(reasons(room, [genesis])).toEqual([['1', 'CLOSURE', 'Travaux']]);
  });
});

describe('an occurrence a family of the waiting list waits for', () => {
  const occurrence = { roomId: 'A', templateId: 'tA', day: DAY, start: '14:00', end: '15:00' };

  it('is gone with a closure of its day, room or slot, its room deactivated or its slot moved; another slot’s closure leaves it', () => {
    const c = calendar();
    expect(occurrenceGone(occurrence, c)).toBeNull();
    const closeSlot = { kind: 'CLOSE' as const, closure: { day: DAY, roomId: null, templateId: 'tA', reason: 'Panne de chauffage' } };
    expect(occurrenceGone(occurrence, applyChange(c, closeSlot))).toEqual({ cause: 'CLOSURE', reason: 'Panne de chauffage' });
    const closeOther = { kind: 'CLOSE' as const, closure: { day: DAY, roomId: 'B', templateId: null, reason: 'Travaux' } };
    expect(occurrenceGone(occurrence, applyChange(c, closeOther))).toBeNull();
    const roomOff = {
      kind: 'ROOM' as const,
      roomId: 'A',
      room: { name: 'Parloir A', kind: 'ORDINARY' as const, cabins: 4, active: false },
    };
    expect(occurrenceGone(occurrence, applyChange(c, roomOff))?.cause).toBe('ROOM');
    const moved = { kind: 'TEMPLATE' as const, templateId: 'tA', template: { ...c.templates[0], start: '15:00', end: '16:00' } };
    expect(occurrenceGone(occurrence, applyChange(c, moved))?.cause).toBe('TEMPLATE');
  });
});
