/** What the workspace refuses before sending a file (the server checks again by content). */
import { fileProblem, MAX_EVIDENCE_BYTES } from '../../tab/src/evidenceRules';

describe('evidence file checks before upload', () => {
  it.each([
    ['screenshot.png', 'image/png'],
    ['photo.JPG', 'image/jpeg'],
    ['post.pdf', 'application/pdf'],
    ['page.mhtml', ''],
    ['page.html', 'text/html'],
    ['clip.mp4', 'video/mp4'],
  ])('accepts %s', (name, type) => {
    expect(fileProblem({ name, type, size: 1000 })).toBeNull();
  });

  it.each([
    ['setup.exe', 'application/x-msdownload'],
    ['notes.txt', 'text/plain'],
    ['archive.zip', 'application/zip'],
  ])('refuses %s by type', (name, type) => {
    expect(fileProblem({ name, type, size: 1000 })).toMatch(/is not a screenshot, PDF, saved web page or video/);
  });

  it('refuses an empty file and one over the size limit', () => {
    expect(fileProblem({ name: 'a.png', type: 'image/png', size: 0 })).toMatch(/is empty/);
    expect(fileProblem({ name: 'a.png', type: 'image/png', size: MAX_EVIDENCE_BYTES + 1 })).toMatch(/larger than 250 MB/);
  });
});
