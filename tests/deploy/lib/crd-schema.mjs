// Validating a custom resource against its CustomResourceDefinition's openAPIV3Schema (the
// copies vendored in tests/deploy/schemas/), the check the API server makes on `kubectl apply`.
import Ajv from "ajv";
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

// The CRD schemas carry Kubernetes' own keywords (x-kubernetes-*) and formats (int32, ...)
// that a JSON-Schema validator does not know; they add no constraint a manifest can break
// here, so they are ignored rather than rejected.
// Patterns are Go RE2 syntax; the one construct JavaScript lacks is an inline flag group such
// as `^(?i)(abort|warn)?$`, translated here to a flag.
function goRegExp(pattern, flags) {
    const inlineFlags = /\(\?([a-z]+)\)/.exec(pattern);
    if (!inlineFlags) {
        return new RegExp(pattern, flags);
    }
    return new RegExp(pattern.replace(inlineFlags[0], ""), flags + inlineFlags[1]);
}
goRegExp.code = "goRegExp";

function makeValidatorFactory() {
    return new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: goRegExp } });
}

export class CrdSchema {
    constructor(crdFile) {
        this.file = crdFile;
        this.crd = yaml.load(readFileSync(crdFile, "utf8"));
        this.ajv = makeValidatorFactory();
    }

    get kind() {
        return this.crd.spec.names.kind;
    }

    // apiVersion strings this CRD serves, e.g. "keda.sh/v1alpha1".
    get servedApiVersions() {
        return this.crd.spec.versions.filter((v) => v.served).map((v) => `${this.crd.spec.group}/${v.name}`);
    }

    // Error messages (JSON path + what failed) for `doc`, empty when it is valid.
    errors(doc) {
        if (doc.kind !== this.kind) {
            return [`kind is ${doc.kind}, this CRD defines ${this.kind}`];
        }
        const version = this.crd.spec.versions.find((v) => `${this.crd.spec.group}/${v.name}` === doc.apiVersion);
        if (!version || !version.served) {
            return [`apiVersion ${doc.apiVersion} is not served by ${this.file} (${this.servedApiVersions.join(", ")})`];
        }
        const validate = this.ajv.compile(version.schema.openAPIV3Schema);
        if (validate(doc)) {
            return [];
        }
        return validate.errors.map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
    }
}
