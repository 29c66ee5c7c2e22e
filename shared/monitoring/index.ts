/** Monitoring contracts: health samples, metrics, alerts, notifications, dependencies, emergency mode, monitor service. */
export * from './alerts';
export * from './dependencies';
export * from './emergency';
export * from './health';
export * from './metrics';
export * from './notifications';
export * from './resources';
export * from './service';
