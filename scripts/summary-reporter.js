// A Jest reporter that ends the run with one plain line, `tests: N passed, N failed`, the form
// CI reads to know that tests ran and how they went.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    console.log(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed`);
  }
}
module.exports = SummaryReporter;
