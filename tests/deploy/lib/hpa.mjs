// A faithful model of the Kubernetes HPA controller's arithmetic for external metrics
// (pkg/controller/podautoscaler: replica_calculator.go and horizontal.go), driven by a
// virtual clock so tests can replay minutes of autoscaling without waiting for them.
// Pods are ready unless a sync says how many are (`readyReplicas`): a Value metric multiplies
// the *ready* pods by value / threshold, as the replica calculator does.

export const TOLERANCE = 0.1;
export const SYNC_PERIOD_SECONDS = 15;

// Replicas one external metric asks for. `value` as KEDA reports it; `threshold` the target;
// `readyReplicas` the pods whose readiness probe passes (default: all of them).
export function replicasForMetric({ metricType, value, threshold, currentReplicas, readyReplicas = currentReplicas }) {
    if (metricType === "AverageValue") {
        const ratio = value / (threshold * currentReplicas);
        return Math.abs(1 - ratio) <= TOLERANCE ? currentReplicas : Math.ceil(value / threshold);
    }
    if (metricType === "Value") {
        const ratio = value / threshold;
        if (currentReplicas === 0) {
            return Math.ceil(ratio);
        }
        return Math.abs(1 - ratio) <= TOLERANCE ? currentReplicas : Math.ceil(ratio * readyReplicas);
    }
    throw new Error(`metricType ${metricType}: the prometheus scaler supports AverageValue and Value`);
}

// Replicas several metrics ask for together: the largest proposal wins. A failing metric
// (an {error} reading) blocks any scale-down and, when all fail, any change: null = keep.
export function replicasForMetrics(readings, currentReplicas, readyReplicas = currentReplicas) {
    const proposals = readings.filter((r) => r.error === undefined)
        .map((r) => replicasForMetric({ ...r, currentReplicas, readyReplicas }));
    const failed = readings.length - proposals.length;
    if (proposals.length === 0) {
        return null;
    }
    const proposal = Math.max(...proposals);
    if (failed > 0 && proposal < currentReplicas) {
        return null;
    }
    return proposal;
}

const DEFAULT_SCALE_UP = {
    stabilizationWindowSeconds: 0,
    selectPolicy: "Max",
    policies: [
        { type: "Pods", value: 4, periodSeconds: 15 },
        { type: "Percent", value: 100, periodSeconds: 15 },
    ],
};
const DEFAULT_SCALE_DOWN = {
    stabilizationWindowSeconds: 300,
    selectPolicy: "Max",
    policies: [{ type: "Percent", value: 100, periodSeconds: 15 }],
};

// One HPA object: its replica count, recommendation history and scale events.
export class HpaModel {
    constructor({ minReplicas, maxReplicas, behavior = {}, initialReplicas = minReplicas }) {
        this.minReplicas = minReplicas;
        this.maxReplicas = maxReplicas;
        this.scaleUp = { ...DEFAULT_SCALE_UP, ...behavior.scaleUp };
        this.scaleDown = { ...DEFAULT_SCALE_DOWN, ...behavior.scaleDown };
        this.replicas = initialReplicas;
        this.nowSeconds = 0;
        this.recommendations = [];  // {at, replicas}
        this.scaleEvents = [];      // {at, change}: + added, - removed
    }

    // One controller sync SYNC_PERIOD_SECONDS after the previous one. Returns the new count.
    // `readyReplicas`: how many of the current pods pass their readiness probe (default: all).
    sync(readings, { readyReplicas = this.replicas } = {}) {
        this.nowSeconds += SYNC_PERIOD_SECONDS;
        const proposal = replicasForMetrics(readings, this.replicas, readyReplicas);
        if (proposal === null) {
            return this.replicas;  // metrics unavailable: the HPA keeps the current count
        }
        const desired = this.#clamp(this.#limitRate(this.#stabilize(proposal)));
        if (desired !== this.replicas) {
            this.scaleEvents.push({ at: this.nowSeconds, change: desired - this.replicas });
            this.replicas = desired;
        }
        return this.replicas;
    }

    #clamp(replicas) {
        return Math.min(Math.max(replicas, this.minReplicas), this.maxReplicas);
    }

    // Up: the smallest recommendation of the scale-up window; down: the largest of the
    // scale-down window (horizontal.go stabilizeRecommendationWithBehaviors).
    #stabilize(proposal) {
        let up = proposal;
        let down = proposal;
        for (const rec of this.recommendations) {
            if (rec.at > this.nowSeconds - this.scaleUp.stabilizationWindowSeconds) up = Math.min(up, rec.replicas);
            if (rec.at > this.nowSeconds - this.scaleDown.stabilizationWindowSeconds) down = Math.max(down, rec.replicas);
        }
        this.recommendations.push({ at: this.nowSeconds, replicas: proposal });
        let recommendation = this.replicas;
        if (recommendation < up) recommendation = up;
        if (recommendation > down) recommendation = down;
        return recommendation;
    }

    // The scaling policies: how far one sync may move from the count at each period's start.
    #limitRate(desired) {
        if (desired > this.replicas) {
            return Math.min(desired, this.#limit(this.scaleUp, +1));
        }
        if (desired < this.replicas) {
            return Math.max(desired, this.#limit(this.scaleDown, -1));
        }
        return desired;
    }

    // calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors: each
    // policy limits the count relative to the count at the start of its period.
    #limit(rules, direction) {
        if (rules.selectPolicy === "Disabled") return this.replicas;
        const limits = rules.policies.map((policy) => {
            const inPeriod = this.scaleEvents.filter((e) => e.at > this.nowSeconds - policy.periodSeconds);
            const added = inPeriod.filter((e) => e.change > 0).reduce((sum, e) => sum + e.change, 0);
            const deleted = inPeriod.filter((e) => e.change < 0).reduce((sum, e) => sum - e.change, 0);
            const periodStart = this.replicas - added + deleted;
            if (policy.type === "Pods") return periodStart + direction * policy.value;
            const scaled = periodStart * (1 + (direction * policy.value) / 100);
            return direction > 0 ? Math.ceil(scaled) : Math.trunc(scaled);
        });
        // "Max" picks the policy allowing the most change, "Min" the least.
        const mostChange = direction > 0 ? Math.max(...limits) : Math.min(...limits);
        const leastChange = direction > 0 ? Math.min(...limits) : Math.max(...limits);
        return rules.selectPolicy === "Min" ? leastChange : mostChange;
    }
}
