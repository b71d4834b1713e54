import type { OrmAdapter } from '../types.js';
import { knex } from './knex.js';

/** Every supported ORM / migration tool. */
export const orms: readonly OrmAdapter[] = [knex];

export function ormById(id: string): OrmAdapter | undefined {
  return orms.find((orm) => orm.id === id);
}
