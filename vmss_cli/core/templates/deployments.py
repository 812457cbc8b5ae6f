"""ARM template deployments to a resource group (`az deployment group create`).

What happens, in ARM's order:
  1. az's client side: parameters from `k=v` items and parameter files/JSON (a later one wins);
     an unknown `k=v` name or a parameter with neither value nor default is refused (vmss never
     prompts: it behaves as az does without a TTY);
  2. ARM's validation (HTTP 400 `InvalidTemplate`, `additionalInfo` giving the line and column in the
     template; az prints the error object as JSON): parameter types, allowedValues,
     minLength/maxLength, minValue/maxValue, then every expression of the resources and outputs;
  3. the resource providers' preflight (`InvalidTemplateDeployment` with the provider's error as
     the first detail): a scale set is validated as a PUT of its model would be (core.validation);
  4. the deployment: scale sets are created through the same code as `vmss create` (instances,
     secrets kept out of the resource); resource types vmss does not emulate (networks, load
     balancers, public IPs, ...) are recorded in the deployment, with a warning.
Everything happens in one transaction: an error at any step leaves the store as it was.

The scale set part (the model's shape and types, the legacy `upgradePolicy.automaticOSUpgrade` of
api-version 2017-03-30, defaults and secrets) is core.template_vmss; the expression language is
core.template_expr; JSON with line and column information is core.jsontext.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Callable

from vmss_cli.core import limits
from vmss_cli.core.resources import groups, scaleset
from vmss_cli.store import names
from vmss_cli.core.templates import scaleset_template as template_vmss
from vmss_cli.core.world import timeutil, clock as world
from vmss_cli.core.templates import expressions as tex
from vmss_cli.errors import CliError, InvalidParameterError, NotFoundError, VmssError
from vmss_cli.store import paths
from vmss_cli.store.state import Transaction

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.document_types import DeploymentFile
    from vmss_cli.core.arm.documents import Document

DEPLOYMENT_TYPE = "Microsoft.Resources/deployments"
MAX_TEMPLATE_BYTES = 4 * 1024 * 1024  # ARM's limit on a template
EMULATED_TYPES = {scaleset.RESOURCE_TYPE.lower()}
# template parameter type -> (the type ARM echoes, the JToken type a value must have)
PARAMETER_TYPES = {"string": ("String", "String"), "securestring": ("SecureString", "String"),
                   "int": ("Int", "Integer"), "bool": ("Bool", "Boolean"), "object": ("Object", "Object"),
                   "secureobject": ("SecureObject", "Object"), "array": ("Array", "Array")}
OUTPUT_TYPES = {"string": "String", "securestring": "SecureString", "int": "Int", "bool": "Bool",
                "object": "Object", "secureobject": "SecureObject", "array": "Array"}
_DEPLOYMENT_NAME = re.compile(r"[A-Za-z0-9_.()\-]{1,64}")
_SYNTAX_PARAMETERS = "https://aka.ms/arm-syntax-parameters"
_TENANT = "00000000-0000-0000-0000-000000000000"


def validate_deployment_name(name: str) -> str:
    """Deployment names become file names: checked before they reach the store."""
    if not isinstance(name, str) or not _DEPLOYMENT_NAME.fullmatch(name) or name.endswith("."):
        raise InvalidParameterError(
            f"The deployment name '{names._printable(name)}' is invalid. It must be 1-64 characters of letters, "
            "digits, '-', '_', '.', '(' or ')' and must not end with '.'.", code="InvalidDeploymentName",
            target="deploymentName")
    return name


def deployment_id(subscription: str, rg: str, name: str) -> str:
    return f"/subscriptions/{subscription}/resourceGroups/{rg}/providers/{DEPLOYMENT_TYPE}/{name}"


# ---- errors as ARM sends them -----------------------------------------------------------------

class _Template:
    """The parsed template and where its parts are, for ARM's error positions."""

    def __init__(self, text: str, label: str) -> None:
        try:
            self.doc = tex.parse_json(text)
        except ValueError:
            raise CliError(f"Failed to parse '{label}', please check whether it is a valid JSON format") from None
        self.value = self.doc.value
        if not isinstance(self.value, dict):
            raise CliError(f"Failed to parse '{label}', please check whether it is a valid JSON format")
        self.text = text

    def section(self, name: str) -> Document:
        value = self.value.get(name) or {}
        if not isinstance(value, dict):
            raise self.invalid(f"The template {name} section must be an object.", (name,),
                               f"properties.template.{name}")
        return value

    def invalid(self, message: str, path: tuple[str | int, ...], arm_path: str) -> InvalidParameterError:
        """HTTP 400 InvalidTemplate from the validate call, the template position in additionalInfo
        (az prints the error object as JSON: cli/deployment.py)."""
        line, column = self.doc.line_info(path)
        return InvalidParameterError(
            f"Deployment template validation failed: '{message}'.", code="InvalidTemplate",
            additional_info=[{"type": "TemplateViolation",
                              "info": {"lineNumber": line, "linePosition": column, "path": arm_path}}])


def _preflight(deployment: str, tracking: str, exc: VmssError) -> InvalidParameterError:
    """A resource provider refused a resource: HTTP 400 InvalidTemplateDeployment, the provider's error
    (and its details) as the details (az prints them as `Code - message` lines: cli/deployment.py)."""
    inner: list[dict[str, Any]] = [{"code": exc.code or "InvalidParameter", "message": exc.message}]
    inner += [{"code": d.get("code"), "message": d.get("message")} for d in exc.details if isinstance(d, dict)]
    return InvalidParameterError(
        f"The template deployment '{deployment}' is not valid according to the validation procedure. The tracking "
        f"id is '{tracking}'. See inner errors for details.", code="InvalidTemplateDeployment", details=inner)


# ---- parameters ------------------------------------------------------------------------------------

def _definitions(template: _Template) -> Document:
    defs = template.section("parameters")
    for name, spec in defs.items():
        kind = spec.get("type") if isinstance(spec, dict) else None
        if not isinstance(kind, str) or kind.lower() not in PARAMETER_TYPES:
            raise template.invalid(
                f"The template parameter '{name}' has an invalid type '{kind}'. The supported types are "
                f"'{', '.join(v[0] for v in PARAMETER_TYPES.values())}'. Please see {_SYNTAX_PARAMETERS} for usage "
                "details.", ("parameters", name), f"properties.template.parameters.{name}")
    return defs


def collect_parameters(defs: Document, sources: list[tuple[str, str, str | None]]) -> tuple[Document, list[str]]:
    """az's _process_parameters: ({name: value}, names given in files/JSON that the template lacks).
    A source is ("text", item, None) for a command-line item (JSON object or k=v) or ("file", text, path)."""
    supplied: Document = {}
    extra: list[str] = []
    for kind, text, label in sources:
        obj = None
        if kind == "file":
            try:
                obj = tex.parse_json(text).value if text.strip() else None
            except ValueError as exc:
                raise CliError(f"Failed to parse {label} with exception:\n    {exc}") from None
        else:
            try:
                parsed = tex.parse_json(text).value
                obj = parsed if isinstance(parsed, dict) else None
            except ValueError:
                obj = None
        if obj is None and kind == "text":
            _key_value(defs, supplied, text)
            continue
        if not isinstance(obj, dict):
            raise CliError(f"Failed to parse {label} with exception:\n    the parameters must be a JSON object")
        obj = obj.get("parameters", obj)
        for name, entry in (obj.items() if isinstance(obj, dict) else ()):
            if name in ("$schema", "contentVersion"):
                continue
            if isinstance(entry, dict) and "reference" in entry and "value" not in entry:
                raise CliError(f"The parameter '{name}' is a Key Vault reference; vmss does not emulate Key Vault. "
                               "Pass the value itself.")
            if not isinstance(entry, dict) or "value" not in entry:
                raise CliError(f"The parameter '{name}' in {label or 'the parameters'} must be an object with a "
                               "'value', e.g. {\"value\": ...}.")
            if name not in defs and name not in extra:
                extra.append(name)
            supplied[name] = entry["value"]
    return supplied, extra


def _key_value(defs: Document, supplied: Document, item: str) -> None:
    if item == "{}" and not supplied:
        return
    key, eq, value = item.partition("=")
    if not eq:
        raise CliError(f"Unable to parse parameter: {item}")
    if key not in defs:
        raise CliError(f"unrecognized template parameter '{key}'. Allowed parameters: "
                       f"{', '.join(sorted(defs))}")
    kind = str(defs[key].get("type", "")).lower()
    if kind in ("object", "array", "secureobject"):
        try:
            supplied[key] = json.loads(value)
        except RecursionError:
            raise limits.too_deep(f"The value of template parameter '{key}'") from None
        except ValueError:
            shown = "(the value of a secure parameter is not shown)" if kind.startswith("secure") else value
            raise CliError(f"Failed to parse JSON: {shown}") from None
        limits.check_depth(supplied[key], f"The value of template parameter '{key}'")
    elif kind == "bool":
        supplied[key] = value.lower() == "true"
    elif kind == "int":
        if re.fullmatch(r"[-+]?\d{20,}", value.strip()):  # before int(): it may have thousands of digits
            raise limits.LimitError(f"The value of template parameter '{key}' is outside the range of a 64-bit "
                                    "integer (the limit for template integers).")
        supplied[key] = int(value) if re.fullmatch(r"[-+]?\d+", value.strip()) else value  # ARM reports the type
    else:
        supplied[key] = value


def missing_parameters(defs: Document, supplied: Document) -> list[str]:
    return [n for n, spec in defs.items() if "defaultValue" not in spec and supplied.get(n) is None]


def _coerce_parameter(template: _Template, name: str, spec: Document, value: Any) -> Any:
    kind = spec["type"].lower()
    expected = PARAMETER_TYPES[kind][1]
    where = ("parameters", name), f"properties.template.parameters.{name}"
    if expected == "Integer" and isinstance(value, str) and re.fullmatch(r"[-+]?\d{1,19}", value.strip()):
        value = int(value)
    elif expected == "Boolean" and isinstance(value, str) and value.lower() in ("true", "false"):
        value = value.lower() == "true"
    if expected == "Integer" and isinstance(value, int) and limits.value_problem(value):
        raise template.invalid(f"Template parameter '{name}' was provided a value outside the range of a 64-bit "
                               "integer.", *where)
    if tex.type_name(value) != expected:
        raise template.invalid(
            f"Template parameter '{name}' was provided an invalid value. Expected a value of type '{expected}', but "
            f"received a value of type '{tex.type_name(value)}'. Please see https://aka.ms/arm-create-parameter-file "
            "for usage details.", *where)
    allowed = spec.get("allowedValues")
    if isinstance(allowed, list) and not any(tex.type_name(a) == tex.type_name(value) and a == value
                                             for a in allowed):
        shown = "" if kind.startswith("secure") else f" '{tex.to_text(value)}'"
        raise template.invalid(
            f"The provided value{shown} for the template parameter '{name}' is not valid. The parameter value is not "
            f"part of the allowed value(s): '{','.join(tex.to_text(a) for a in allowed)}'. Please see "
            f"{_SYNTAX_PARAMETERS} for usage details.", *where)
    if isinstance(value, (str, list)):
        checks: tuple[tuple[str, Callable[[int, int], bool], str], ...] = (
            ("maxLength", lambda n, lim: n <= lim, "less than or equal to"),
            ("minLength", lambda n, lim: n >= lim, "greater than or equal to"))
        for key, test, words in checks:
            limit = spec.get(key)
            if isinstance(limit, int) and not test(len(value), limit):
                raise template.invalid(
                    f"The provided value for the template parameter '{name}' is not valid. Length of the value should "
                    f"be {words} '{limit}'. Please see {_SYNTAX_PARAMETERS} for usage details.", *where)
    if expected == "Integer":
        for key, test, words in (("maxValue", lambda v, lim: v <= lim, "less than or equal to"),
                                 ("minValue", lambda v, lim: v >= lim, "greater than or equal to")):
            limit = spec.get(key)
            if isinstance(limit, int) and not test(value, limit):
                raise template.invalid(
                    f"The provided value for the template parameter '{name}' is not valid. Expected value should be "
                    f"{words} '{limit}'. Please see {_SYNTAX_PARAMETERS} for usage details.", *where)
    return value


# ---- the deployment --------------------------------------------------------------------------------

class _Evaluation:
    """Parameters and variables resolved lazily (defaults and variables may use each other)."""

    def __init__(self, template: _Template, defs: Document, supplied: Document, scope_parts: Document) -> None:
        self.template = template
        self.defs = defs
        self.supplied = supplied
        self.params: Document = {}
        self.vars: Document = {}
        self._busy: set[tuple[str, str]] = set()
        self.variables = template.section("variables")
        self.scope = tex.Scope(self.parameter, self.variable, **scope_parts)

    def parameter(self, name: str) -> Any:
        found = next((n for n in self.defs if n.lower() == name.lower()), None)
        if found is None:
            raise tex.TemplateError(f"The template parameter '{name}' is not found. Please see {_SYNTAX_PARAMETERS} "
                                    "for usage details.")
        if found not in self.params:
            self._guard(("parameter", found))
            spec = self.defs[found]
            value = self.supplied.get(found)
            if value is None:
                try:
                    value = tex.evaluate(spec["defaultValue"], self.scope)
                except tex.TemplateError as exc:
                    raise self.template.invalid(f"The template parameter '{found}' is not valid: {exc}",
                                                ("parameters", found), f"properties.template.parameters.{found}")
            self.params[found] = _coerce_parameter(self.template, found, spec, value)
            self._busy.discard(("parameter", found))
        return self.params[found]

    def variable(self, name: str) -> Any:
        found = next((n for n in self.variables if n.lower() == name.lower()), None)
        if found is None:
            raise tex.TemplateError(f"The template variable '{name}' is not found. Please see "
                                    "https://aka.ms/arm-syntax-variables for usage details.")
        if found not in self.vars:
            self._guard(("variable", found))
            try:
                self.vars[found] = tex.evaluate(self.variables[found], self.scope)
            except tex.TemplateError as exc:
                raise self.template.invalid(f"The template variable '{found}' is not valid: {exc}.",
                                            ("variables", found), f"properties.template.variables.{found}")
            self._busy.discard(("variable", found))
        return self.vars[found]

    def _guard(self, key: tuple[str, str]) -> None:
        if key in self._busy:
            raise tex.TemplateError(f"The template {key[0]} '{key[1]}' is used in a circular reference.")
        self._busy.add(key)


def deploy(tx: Transaction, rg: str, template_text: str, template_label: str,
           sources: list[tuple[str, str, str | None]], name: str, mode: str = "Incremental", no_prompt: bool = False,
           subscription: str | None = None,
           warn: Callable[[str], None] = lambda message: None) -> DeploymentFile:
    """Deploy a template; returns the stored deployment document. `warn` receives az's warnings
    (missing parameters with --no-prompt, resource types recorded only) as they arise."""
    from vmss_cli.core.world import rng

    subscription = subscription or world.subscription(tx)
    validate_deployment_name(name)
    if mode.lower() != "incremental":
        raise CliError("vmss emulates Incremental deployments only: resources not in the template are left as "
                       "they are (--mode Complete would delete them).")
    template = _Template(template_text, template_label)
    defs = _definitions(template)
    supplied, extra = collect_parameters(defs, sources)
    missing = missing_parameters(defs, supplied)
    if missing and not no_prompt:
        raise CliError(f"Missing input parameters: {', '.join(sorted(missing))}")  # az without a TTY
    if missing:
        warn(f"Missing input parameters: {', '.join(sorted(missing))} ")
    group = groups.get(tx, rg)
    rg = group["name"]
    if missing:
        first = missing[0]
        raise template.invalid(
            f"The value for the template parameter '{first}' is not provided. Please see "
            "https://aka.ms/arm-create-parameter-file for usage details.", ("parameters", first),
            f"properties.template.parameters.{first}")
    if extra:
        raise template.invalid(
            f"The template parameters '{', '.join(extra)}' in the parameters file are not valid; they are not present "
            "in the original template and can therefore not be provided at deployment time. The only supported "
            f"parameters for this template are '{', '.join(defs)}'. Please see "
            "https://aka.ms/arm-pass-parameter-values for usage details.", ("parameters",),
            "properties.template.parameters")
    now, seed = world.now(tx), world.seed(tx)
    dep_id = deployment_id(subscription, rg, name)
    scope_parts = {
        "resource_group": {"id": groups.group_id(subscription, rg), "name": rg,
                           "type": "Microsoft.Resources/resourceGroups", "location": group["location"], "managedBy": None, "tags": group.get("tags") or {},
                           "properties": {"provisioningState": "Succeeded"}},
        "subscription": {"id": f"/subscriptions/{subscription}", "subscriptionId": subscription,
                         "tenantId": _TENANT, "displayName": "vmss emulated subscription"},
        "deployment": {"name": name, "properties": {"mode": mode.capitalize(), "provisioningState": "Accepted",
                                                    "templateLink": None}},
    }
    ev = _Evaluation(template, defs, supplied, scope_parts)
    params = {n: ev.parameter(n) for n in defs}
    for variable in ev.variables:
        ev.variable(variable)
    resources = _resources(template, ev, subscription, rg)
    ordered = _order(template, resources)
    outputs = _outputs(template, ev)

    tracking = rng.guid(seed, dep_id, "tracking", now)
    secure = {json.dumps(v) for n, v in params.items()
              if defs[n]["type"].lower().startswith("secure") and v not in (None, "", {})}
    recorded, kinds = [], []
    for res in ordered:
        if res["type"].lower() in EMULATED_TYPES:
            try:
                template_vmss.deploy_scale_set(tx, group, res, subscription)
            except VmssError as exc:
                raise _preflight(name, tracking, exc) from None
        else:
            recorded.append(_recorded(res, secure))
            if res["type"] not in kinds:
                kinds.append(res["type"])
    for kind in kinds:
        warn(f"Resource type '{kind}' is not emulated; recorded only.")
    if any("reference(" in json.dumps(spec).lower() for spec in template.section("outputs").values()):
        # reference() reads a deployed resource: now the resources exist, evaluate the outputs again
        ev.scope.reference = lambda rid, full: _reference(tx, rid, full, recorded)
        outputs = _outputs(template, ev)

    arm = {"id": dep_id, "location": None, "name": name, "tags": None, "type": DEPLOYMENT_TYPE, "properties": {
        "correlationId": rng.guid(seed, dep_id, "correlation", now),
        "debugSetting": None,
        "dependencies": _dependencies(ordered),
        "duration": "PT0S",
        "error": None,
        "mode": mode.capitalize(),
        "onErrorDeployment": None,
        "outputResources": [{"id": r["id"]} for r in ordered],
        "outputs": outputs or None,
        "parameters": {n: ({"type": PARAMETER_TYPES[defs[n]["type"].lower()][0]}
                           if defs[n]["type"].lower().startswith("secure") else
                           {"type": PARAMETER_TYPES[defs[n]["type"].lower()][0], "value": v})
                       for n, v in params.items()},
        "parametersLink": None,
        "providers": _providers(ordered),
        "provisioningState": "Succeeded",
        "templateHash": str(int(hashlib.sha256(template_text.encode()).hexdigest()[:16], 16) % 10**19),
        "templateLink": None,
        "timestamp": timeutil.format_time(now),
        "validatedResources": None,
    }}
    doc: DeploymentFile = {"deployment": arm, "resources": recorded}
    world.save(tx, world.load(tx))
    tx.save(paths.deployment_file(tx.root, rg, name), doc)
    return doc


def _resources(template: _Template, ev: _Evaluation, subscription: str, rg: str) -> list[Document]:
    raw = template.value.get("resources") or []
    if not isinstance(raw, list):
        raise template.invalid("The template resources section must be an array (symbolic resource names need "
                               "languageVersion 2.0, which vmss does not evaluate).", ("resources",),
                               "properties.template.resources")
    out: list[Document] = []

    def visit(items: list[Any], parent: Document | None, path: tuple[str | int, ...]) -> None:
        for index, res in enumerate(items):
            where = path + (index,)
            arm_path = "properties.template." + ".".join(
                f"{p}[{i}]" for p, i in zip(where[0::2], where[1::2]))
            label = res.get("name") if isinstance(res, dict) else None

            def invalid(message: str) -> InvalidParameterError:
                line, column = template.doc.line_info(where)
                return template.invalid(
                    f"The template resource '{label}' at line '{line}' and column '{column}' is not valid: {message}. "
                    "Please see https://aka.ms/arm-syntax-resources for usage details.", where, arm_path)
            if not isinstance(res, dict):
                raise invalid("a resource must be an object")
            if "copy" in res:
                raise invalid("copy loops are not evaluated by vmss; write the resources out")
            try:
                if "condition" in res and tex.evaluate(res["condition"], ev.scope) is not True:
                    continue
                body = tex.evaluate({k: v for k, v in res.items() if k not in ("resources", "condition")}, ev.scope)
            except tex.TemplateError as exc:
                raise invalid(str(exc)) from None
            for key in ("type", "name", "apiVersion"):
                if not isinstance(body.get(key), str) or not body[key]:
                    raise invalid(f"Required property '{key}' not found or not a string")
            if not isinstance(body.get("dependsOn", []), list):
                raise invalid("The 'dependsOn' property must be an array")
            if not isinstance(body.get("location", ""), str):
                raise invalid("The 'location' property must be a string")
            if parent is not None:  # a child resource: type and name are relative to its parent's
                if "/" not in body["type"]:
                    body["type"] = f"{parent['type']}/{body['type']}"
                if body["name"].count("/") < parent["name"].count("/") + 1:
                    body["name"] = f"{parent['name']}/{body['name']}"
                body["dependsOn"] = list(body.get("dependsOn") or []) + [parent["id"]]
            try:
                body["id"] = tex.resource_id(subscription, rg, body["type"], body["name"].split("/"))
            except tex.TemplateError as exc:
                raise invalid(str(exc)) from None
            body["_path"] = where
            out.append(body)
            if isinstance(res.get("resources"), list):
                visit(res["resources"], body, where + ("resources",))

    visit(raw, None, ("resources",))
    return out


def _order(template: _Template, resources: list[Document]) -> list[Document]:
    """dependsOn resolved to template resources, then a stable topological order."""
    by_key: dict[str, Document] = {}
    for res in resources:
        for key in (res["id"], res["name"], f"{res['type']}/{res['name']}"):
            by_key.setdefault(key.lower(), res)
    edges: dict[str, list[Document]] = {}
    for res in resources:
        deps = []
        for dep in res.get("dependsOn") or []:
            target = by_key.get(str(dep).strip("/").lower()) or by_key.get(str(dep).lower())
            if target is None:
                raise template.invalid(f"The resource '{dep}' is not defined in the template. Please see "
                                       "https://aka.ms/arm-syntax for usage details.", res["_path"],
                                       "properties.template.resources")
            if target not in deps:
                deps.append(target)
        edges[res["id"]] = res["_deps"] = deps
    ordered: list[Document] = []
    state: dict[str, str] = {}

    def visit(res: Document) -> None:
        if state.get(res["id"]) == "done":
            return
        if state.get(res["id"]) == "busy":
            raise template.invalid(f"Circular dependency detected on resource: '{res['id']}'. Please see "
                                   "https://aka.ms/arm-syntax for usage details.", res["_path"],
                                   "properties.template.resources")
        state[res["id"]] = "busy"
        for dep in edges[res["id"]]:
            visit(dep)
        state[res["id"]] = "done"
        ordered.append(res)

    for res in resources:
        visit(res)
    return ordered


def _outputs(template: _Template, ev: _Evaluation) -> Document:
    """The outputs; ones that call reference() wait until the scope can look resources up."""
    out = {}
    for name, spec in template.section("outputs").items():
        if ev.scope.reference is None and "reference(" in json.dumps(spec).lower():
            continue
        where = ("outputs", name), f"properties.template.outputs.{name}"
        if not isinstance(spec, dict):
            raise template.invalid(f"The template output '{name}' must be an object.", *where)
        try:
            if "condition" in spec and tex.evaluate(spec["condition"], ev.scope) is not True:
                continue
            value = tex.evaluate(spec.get("value"), ev.scope)
        except tex.TemplateError as exc:
            raise template.invalid(f"The template output '{name}' is not valid: {exc}.", *where) from None
        kind = OUTPUT_TYPES.get(str(spec.get("type", "")).lower())
        if kind is None:
            raise template.invalid(f"The template output '{name}' has an invalid type '{spec.get('type')}'.", *where)
        out[name] = {"type": kind} if kind.startswith("Secure") else {"type": kind, "value": value}
    return out


def _reference(tx: Transaction, rid: str, full: bool, recorded: list[Document]) -> Any:
    """reference(): a deployed scale set as stored (secrets never in it), or a recorded resource."""
    parts = rid.strip("/").split("/")
    if len(parts) == 8 and f"{parts[5]}/{parts[6]}".lower() == scaleset.RESOURCE_TYPE.lower():
        found = tx.load(paths.scale_set_file(tx.root, parts[3], parts[7]), "scaleSet")
        resource = found["scaleSet"] if found else None
    else:
        resource = next((r for r in recorded if r.get("id", "").lower() == rid.lower()), None)
    if resource is None:
        raise tex.TemplateError(f"The Resource '{rid}' was not found")
    return json.loads(json.dumps(resource if full else resource.get("properties") or {}))


def _dependencies(ordered: list[Document]) -> list[Document]:
    return [{"dependsOn": [{"id": d["id"], "resourceName": d["name"], "resourceType": d["type"]}
                           for d in res["_deps"]],
             "id": res["id"], "resourceName": res["name"], "resourceType": res["type"]}
            for res in ordered if res["_deps"]]


def _providers(ordered: list[Document]) -> list[Document]:
    out: dict[str, dict[str, set[str | None]]] = {}
    for res in ordered:
        namespace, _, kind = res["type"].partition("/")
        out.setdefault(namespace, {}).setdefault(kind, set()).add(res.get("location"))
    return [{"namespace": ns, "resourceTypes": [{"locations": sorted(loc for loc in locs if loc),
                                                 "resourceType": kind} for kind, locs in kinds.items()]}
            for ns, kinds in out.items()]


def _recorded(res: Document, secure: set[str]) -> Document:
    """A resource vmss does not emulate, as deployed (secure parameter values left out)."""
    def scrub(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items() if json.dumps(v) not in secure}
        if isinstance(value, list):
            return [scrub(v) for v in value]
        return value
    out: Document = scrub({k: v for k, v in res.items() if not k.startswith("_") and k != "dependsOn"})
    return out


# ---- reading deployments -----------------------------------------------------------------------------

def load(tx: Transaction, rg: str, name: str) -> DeploymentFile:
    names.validate_resource_group(rg)
    validate_deployment_name(name)
    doc: DeploymentFile | None = tx.load(paths.deployment_file(tx.root, rg, name), "deployment")
    if doc is None:
        groups.get(tx, rg)
        raise NotFoundError(f"Deployment '{name}' could not be found.", code="DeploymentNotFound")
    return doc


def list_docs(tx: Transaction, rg: str) -> list[DeploymentFile]:
    group = groups.get(tx, rg)
    out: list[DeploymentFile] = []
    for path in tx.list_files(paths.deployments_dir(tx.root, group["name"]), "*.json"):
        doc = tx.load(path, "deployment")
        if doc:
            out.append(doc)
    return out
