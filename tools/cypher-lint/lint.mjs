// Neo4j's own Cypher 5 parser and semantic analysis (the @neo4j-cypher/language-support
// package, the code behind Neo4j's editors), run over statements sent as JSON on stdin:
//   {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...],
//    "statements": [{"id": "...", "text": "..."}]}
// and answering on stdout, one entry per statement:
//   [{"id": "...", "problems": [{"severity": "error" | "warning", "line": 1, "column": 0,
//     "message": "..."}]}]
// Functions and procedures are those of a Neo4j server without plugins: the package's own
// recorded server registry (testData.mockSchema), less APOC and GDS, so a call that only
// the embedded engine (or a plugin) has is reported. Undefined $parameters are not
// problems: the caller binds them at run time. Read by tests/test_cypher_lint.py.
import { readFileSync } from 'node:fs';
import { lintCypherQuery, isNotParamError, testData } from '@neo4j-cypher/language-support';

const VERSION = 'CYPHER 5';
const PLUGINS = /^(apoc|gds)\./;

function withoutPlugins(registry) {
  return Object.fromEntries(Object.entries(registry).filter(([name]) => !PLUGINS.test(name)));
}

const input = JSON.parse(readFileSync(0, 'utf8'));
const recorded = testData.mockSchema;
const schema = {
  functions: { [VERSION]: withoutPlugins(recorded.functions[VERSION]) },
  procedures: { [VERSION]: withoutPlugins(recorded.procedures[VERSION]) },
  labels: input.labels,
  relationshipTypes: input.relationshipTypes,
  propertyKeys: input.propertyKeys,
  defaultLanguage: VERSION,
};

const severity = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
const answer = input.statements.map(({ id, text }) => {
  const { diagnostics } = lintCypherQuery(text, schema, { consoleCommandsEnabled: false });
  return {
    id,
    problems: diagnostics.filter(isNotParamError).map((d) => ({
      severity: severity[d.severity] ?? String(d.severity),
      line: d.range.start.line + 1,
      column: d.range.start.character,
      message: d.message,
    })),
  };
});
process.stdout.write(JSON.stringify(answer));
