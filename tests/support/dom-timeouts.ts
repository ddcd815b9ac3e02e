/**
 * How long Testing Library's findBy… and waitFor wait in every suite. Its default of one second
 * is shorter than a Fluent page takes to render in jsdom when two jest workers share two cores;
 * waits still end as soon as what they wait for is there.
 */
import { configure } from '@testing-library/dom';

configure({ asyncUtilTimeout: 30_000 });
