import { createRoot } from 'react-dom/client';
import { Root } from './Root';
import { detectHost } from './host';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
const root = createRoot(container);
void detectHost(window).then((host) => root.render(<Root host={host} />));
