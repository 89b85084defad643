/* Lists every skipped test with its title at the end of the run: each title names why it is skipped
 * (jest's default reporter only counts them). */
class SkipReporter {
  constructor() {
    this.skipped = [];
  }
  onTestResult(_test, result) {
    for (const r of result.testResults) {
      if (r.status === 'pending' || r.status === 'skipped' || r.status === 'todo') this.skipped.push(r.fullName);
    }
  }
  onRunComplete() {
    if (!this.skipped.length) return;
    process.stderr.write(`\nSkipped (${this.skipped.length}), each says why:\n${this.skipped.map((t) => `  - ${t}`).join('\n')}\n`);
  }
}
module.exports = SkipReporter;
