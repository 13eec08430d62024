/**
 * Label selectors, as {@code kubectl -l} writes them ({@code tier=web,env!=prod,!legacy}): parsed
 * once by {@link dev.berth.spec.selector.LabelSelector#parse}, then matched against a service's
 * labels wherever services are chosen by them (the agent's API, a cluster's listing).
 */
package dev.berth.spec.selector;
