package dev.berth.reconcilers.service;

/**
 * A condition as a plan sees it.
 *
 * @param component the component, or "" for the whole service
 * @param type Ready, CertificateReady, or the service's Converged ({@code ConditionTypes})
 * @param status true or false
 * @param reason a CamelCase word
 * @param message a sentence for operators
 */
public record ConditionView(
    String component, String type, boolean status, String reason, String message) {}
