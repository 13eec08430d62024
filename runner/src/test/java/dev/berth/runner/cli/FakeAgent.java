package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentServiceGrpc;
import dev.berth.proto.v1.ApplyRequest;
import dev.berth.proto.v1.ApplyResponse;
import dev.berth.proto.v1.DeleteServiceResponse;
import dev.berth.proto.v1.Event;
import dev.berth.proto.v1.GetServiceRequest;
import dev.berth.proto.v1.ListRoutesRequest;
import dev.berth.proto.v1.ListRoutesResponse;
import dev.berth.proto.v1.ListServicesRequest;
import dev.berth.proto.v1.ListServicesResponse;
import dev.berth.proto.v1.LogLine;
import dev.berth.proto.v1.LogsRequest;
import dev.berth.proto.v1.NodeStatusRequest;
import dev.berth.proto.v1.NodeStatusResponse;
import dev.berth.proto.v1.RecoverRequest;
import dev.berth.proto.v1.RecoverResponse;
import dev.berth.proto.v1.Service;
import dev.berth.proto.v1.ServiceRequest;
import dev.berth.proto.v1.WatchRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * An AgentService with canned answers, for testing the CLI's own behaviour: it records every
 * request, answers what the test set, fails a method with the status the test set, and keeps a
 * followed stream open until the client cancels it.
 */
final class FakeAgent extends AgentServiceGrpc.AgentServiceImplBase {

  /** Every request, in the order received. */
  final List<Object> requests = new CopyOnWriteArrayList<>();

  /** Method name ("Apply", "GetService"...) to the error it answers with. */
  final Map<String, StatusRuntimeException> failures = new ConcurrentHashMap<>();

  volatile Duration delay = Duration.ZERO;
  volatile ApplyResponse apply = ApplyResponse.getDefaultInstance();
  volatile ListServicesResponse list = ListServicesResponse.getDefaultInstance();
  volatile ListRoutesResponse routes = ListRoutesResponse.getDefaultInstance();
  volatile NodeStatusResponse node = NodeStatusResponse.getDefaultInstance();
  volatile RecoverResponse recover = RecoverResponse.getDefaultInstance();
  volatile List<LogLine> logLines = List.of();
  volatile List<Event> events = List.of();

  /** Counted down when a client cancels a followed stream. */
  final CountDownLatch streamCancelled = new CountDownLatch(1);

  /** Counted down when a followed stream has sent what it holds and waits for more. */
  final CountDownLatch streamFollowing = new CountDownLatch(1);

  // Per service: the answers of successive GetService calls; the last one repeats.
  private final Map<String, List<Service>> serviceAnswers = new ConcurrentHashMap<>();
  private final Map<String, Integer> serviceCalls = new ConcurrentHashMap<>();

  /** GetService for {@code name} answers these, one per call; the last one from then on. */
  void answers(String name, Service... answers) {
    serviceAnswers.put(name, List.of(answers));
    serviceCalls.put(name, 0);
  }

  void fail(String method, Status status) {
    failures.put(method, status.asRuntimeException());
  }

  /** The requests of one type, in order. */
  <T> List<T> requests(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Object request : requests) {
      if (type.isInstance(request)) {
        out.add(type.cast(request));
      }
    }
    return out;
  }

  @Override
  public void apply(ApplyRequest request, StreamObserver<ApplyResponse> observer) {
    unary("Apply", request, observer, () -> apply);
  }

  @Override
  public void getService(GetServiceRequest request, StreamObserver<Service> observer) {
    unary(
        "GetService",
        request,
        observer,
        () -> {
          List<Service> answers = serviceAnswers.get(request.getName());
          if (answers == null) {
            throw Status.NOT_FOUND
                .withDescription("no service named \"" + request.getName() + "\"")
                .asRuntimeException();
          }
          int call = serviceCalls.merge(request.getName(), 1, Integer::sum) - 1;
          return answers.get(Math.min(call, answers.size() - 1));
        });
  }

  @Override
  public void listServices(
      ListServicesRequest request, StreamObserver<ListServicesResponse> observer) {
    unary("ListServices", request, observer, () -> list);
  }

  @Override
  public void stopService(ServiceRequest request, StreamObserver<Service> observer) {
    unary("StopService", request, observer, Service::getDefaultInstance);
  }

  @Override
  public void startService(ServiceRequest request, StreamObserver<Service> observer) {
    unary("StartService", request, observer, Service::getDefaultInstance);
  }

  @Override
  public void restartService(ServiceRequest request, StreamObserver<Service> observer) {
    unary("RestartService", request, observer, Service::getDefaultInstance);
  }

  @Override
  public void deleteService(
      ServiceRequest request, StreamObserver<DeleteServiceResponse> observer) {
    unary(
        "DeleteService",
        request,
        observer,
        () -> DeleteServiceResponse.newBuilder().setName(request.getName()).build());
  }

  @Override
  public void recover(RecoverRequest request, StreamObserver<RecoverResponse> observer) {
    unary("Recover", request, observer, () -> recover);
  }

  @Override
  public void nodeStatus(NodeStatusRequest request, StreamObserver<NodeStatusResponse> observer) {
    unary("NodeStatus", request, observer, () -> node);
  }

  @Override
  public void listRoutes(ListRoutesRequest request, StreamObserver<ListRoutesResponse> observer) {
    unary("ListRoutes", request, observer, () -> routes);
  }

  @Override
  public void logs(LogsRequest request, StreamObserver<LogLine> observer) {
    stream("Logs", request, observer, logLines, request.getFollow());
  }

  @Override
  public void watch(WatchRequest request, StreamObserver<Event> observer) {
    stream("Watch", request, observer, events, request.getFollow());
  }

  private <T> void unary(
      String method, Object request, StreamObserver<T> observer, Supplier<T> answer) {
    requests.add(request);
    try {
      if (!delay.isZero()) {
        Thread.sleep(delay.toMillis());
      }
      StatusRuntimeException failure = failures.get(method);
      if (failure != null) {
        observer.onError(failure);
        return;
      }
      observer.onNext(answer.get());
      observer.onCompleted();
    } catch (StatusRuntimeException e) {
      observer.onError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      observer.onError(Status.CANCELLED.asRuntimeException());
    }
  }

  private <T> void stream(
      String method, Object request, StreamObserver<T> observer, List<T> items, boolean follow) {
    requests.add(request);
    StatusRuntimeException failure = failures.get(method);
    if (failure != null) {
      observer.onError(failure);
      return;
    }
    ((ServerCallStreamObserver<T>) observer).setOnCancelHandler(streamCancelled::countDown);
    items.forEach(observer::onNext);
    if (follow) {
      // Like the agent: nothing more to send until something happens; the client ends it.
      streamFollowing.countDown();
    } else {
      observer.onCompleted();
    }
  }
}
