/**
 * Type declarations for the two deep imports the cron wrapper needs (see cron.ts for why).
 * cron-parser ships its types under dist/types, which TypeScript does not find for a deep
 * `.js` import; luxon ships no types and @types/luxon is not a dependency. Only the members
 * used here are declared.
 */
declare module 'cron-parser/dist/CronExpressionParser.js' {
    export { CronExpressionParser } from 'cron-parser/dist/types/CronExpressionParser';
}

declare module 'luxon' {
    export const Settings: {
        defaultZone: string;
        defaultLocale: string;
        defaultNumberingSystem: string;
        defaultOutputCalendar: string;
    };
}
