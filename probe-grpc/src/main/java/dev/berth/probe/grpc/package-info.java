/**
 * The gRPC health probe ({@code grpc.health.v1}): give a {@link
 * dev.berth.probe.grpc.GrpcHealthProber} to {@code StandardProber.with(ProbeType.GRPC, ...)}. An
 * optional module, so that an embedding that probes no gRPC server carries no gRPC.
 */
package dev.berth.probe.grpc;
