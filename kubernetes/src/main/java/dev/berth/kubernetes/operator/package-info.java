/**
 * The java-operator-sdk operator over the Kubernetes planner, and its small entry points for the
 * runner ({@link dev.berth.kubernetes.operator.BerthOperator}).
 */
package dev.berth.kubernetes.operator;
