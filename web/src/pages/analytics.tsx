// #/analytics?tab=… — the dashboard; its parts live in analytics/.
export { default } from './analytics/dashboard';
