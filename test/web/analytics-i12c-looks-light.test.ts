// Axe, overflow and screenshots of the i12c analytics tabs and the prefix page, light theme.
import { looksSuite } from './support/analytics-i12c-looks.js';

looksSuite('light');
