"""The reference engines for the differential suite: Jinja2 set up as cicdstatemgr 1.2.4 sets it up, and PyYAML
as it reads and writes documents. Reads one JSON request per line on stdin, writes one JSON answer per line.

Values cross the pipe tagged with their Python type (["float", "2.0"], ["int", "1000"], ...) so that a float
that happens to be whole, or an int beyond 2**53, survives JSON on both sides.
"""
import base64
import json
import sys

import jinja2
import yaml


def make_environment():
    # The filters below are the ones cicdstatemgr registers (jinja2util.py), as its spec describes them.
    env = jinja2.Environment(extensions=["jinja2.ext.loopcontrols"])

    def json_dumps(value, indent=None, stripLeadingTrailingQuotes=False):
        text = json.dumps(value, indent=indent)
        return text[1:-1] if stripLeadingTrailingQuotes else text

    def to_nice_yaml(value, default_flow_style=False, sort_keys=False, indent=2):
        return yaml.dump(value, default_flow_style=False, sort_keys=sort_keys, indent=indent)

    def kv_comma_pairs_to_json(value):
        pairs = {}
        for item in value.split(","):
            if item and "=" in item:
                pairs[item.split("=")[0]] = item.split("=")[1]
        return json.dumps(pairs)

    env.filters.update(
        json_dumps=json_dumps,
        from_json=json.loads,
        to_nice_yaml=to_nice_yaml,
        kv_comma_pairs_to_json=kv_comma_pairs_to_json,
        to_base64=lambda value: base64.b64encode(value.encode("utf-8")).decode("utf-8"),
    )
    return env


ENV = make_environment()


def render(template, context_yaml):
    context = yaml.safe_load(context_yaml) or {}
    macros = context.get("jinja2Macros") if isinstance(context, dict) else None
    source = (macros["all"] if isinstance(macros, dict) else "") + template
    try:
        return {"ok": True, "text": ENV.from_string(source).render(context)}
    except Exception as error:  # what cicdstatemgr's parse_template catches
        return {"ok": False, "error": "%s: %s" % (type(error).__name__, error)}


def tag(value):
    if value is None:
        return ["null"]
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int):
        return ["int", str(value)]
    if isinstance(value, float):
        return ["float", repr(value)]
    if isinstance(value, str):
        return ["str", value]
    if isinstance(value, list):
        return ["list", [tag(item) for item in value]]
    if isinstance(value, dict):
        return ["dict", [[tag(k), tag(v)] for k, v in value.items()]]
    return ["other", type(value).__name__, str(value)]


def untag(tagged):
    kind = tagged[0]
    if kind == "null":
        return None
    if kind == "bool":
        return tagged[1]
    if kind == "int":
        return int(tagged[1])
    if kind == "float":
        return float(tagged[1])
    if kind == "str":
        return tagged[1]
    if kind == "list":
        return [untag(item) for item in tagged[1]]
    if kind == "dict":
        return {untag(k): untag(v) for k, v in tagged[1]}
    raise ValueError("cannot untag %r" % (tagged,))


def dump(value):
    # cicdstatemgr's redis and yamlfile datasources write exactly this.
    return yaml.dump(untag(value), default_flow_style=False, sort_keys=False)


def load(text):
    try:
        return {"ok": True, "value": tag(yaml.safe_load(text))}
    except yaml.YAMLError as error:
        return {"ok": False, "error": str(error)}


def answer(request):
    op = request["op"]
    if op == "render":
        return [render(case["template"], case["context"]) for case in request["cases"]]
    if op == "dump":
        return [dump(value) for value in request["values"]]
    if op == "load":
        return [load(text) for text in request["texts"]]
    raise ValueError("unknown op %r" % (op,))


for line in sys.stdin:
    sys.stdout.write(json.dumps(answer(json.loads(line))) + "\n")
    sys.stdout.flush()
