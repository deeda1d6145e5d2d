"""Records jsonpath-ng's answers for the JSONPath differential test (jsonpath-answers.json).

Run with jsonpath-ng 1.8.0 importable (the version cicdstatemgr 1.2.4 resolves), e.g. in a venv with
`pip install jsonpath-ng==1.8.0`:  python3 record-jsonpath-ng-answers.py < paths.json > jsonpath-answers.json
where paths.json is {"doc": ..., "paths": [...]}. The answers are data; jsonpath-ng itself is not vendored.
"""
import json
import sys

import jsonpath_ng

request = json.load(sys.stdin)
doc = request["doc"]
cases = []
for path in request["paths"]:
    try:
        cases.append({"path": path, "values": [match.value for match in jsonpath_ng.parse(path).find(doc)]})
    except Exception as error:  # what cicdstatemgr would fail with
        cases.append({"path": path, "error": type(error).__name__})
json.dump({"jsonpath_ng": getattr(jsonpath_ng, "__version__", "1.8.0"), "doc": doc, "cases": cases}, sys.stdout, indent=1)
sys.stdout.write("\n")
