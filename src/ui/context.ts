import { createContext, useContext } from 'react';
import type { FleetActions } from '../core/fleet/actions.js';
import type { FleetStore } from '../core/fleet/store.js';
import type { FleetServices } from '../core/fleet/types.js';
import type { Keymap } from '../keymap/keymap.js';

export interface FleetContextValue {
  services: FleetServices;
  store: FleetStore;
  actions: FleetActions;
  keymap: Keymap;
}

export const FleetContext = createContext<FleetContextValue | null>(null);

export function useFleet(): FleetContextValue {
  const v = useContext(FleetContext);
  if (!v) throw new Error('FleetContext missing: render inside <App>');
  return v;
}
