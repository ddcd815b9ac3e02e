/**
 * A bounded number of uploads at once, per person and on this instance, so one person (or a
 * crowd) cannot fill the disk with files still being checked. A refused upload has written nothing.
 */
import { RateLimited } from '../domain/errors';

export interface UploadSlots {
  /** Takes a slot for the person, or throws RateLimited; call the returned function when done. */
  take(personId: string): () => void;
}

const RETRY_AFTER_SECONDS = 5;

export function createUploadSlots(limits: { perPerson: number; total: number }): UploadSlots {
  const byPerson = new Map<string, number>();
  let total = 0;
  return {
    take(personId) {
      const mine = byPerson.get(personId) ?? 0;
      if (mine >= limits.perPerson) {
        throw new RateLimited(`You already have ${mine} upload${mine === 1 ? '' : 's'} in progress: wait for ${mine === 1 ? 'it' : 'them'} to finish.`, RETRY_AFTER_SECONDS);
      }
      if (total >= limits.total) throw new RateLimited('Too many uploads are in progress: try again in a few seconds.', RETRY_AFTER_SECONDS);
      byPerson.set(personId, mine + 1);
      total += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total -= 1;
        const left = (byPerson.get(personId) ?? 1) - 1;
        if (left > 0) byPerson.set(personId, left);
        else byPerson.delete(personId);
      };
    },
  };
}
