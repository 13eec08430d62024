package dev.berth.runner.cli;

import dev.berth.proto.v1.AgentProto;
import dev.berth.proto.v1.AgentServiceGrpc;
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
  volatile AgentProto.ApplyResponse apply = AgentProto.ApplyResponse.getDefaultInstance();
  volatile AgentProto.ListServicesResponse list =
      AgentProto.ListServicesResponse.getDefaultInstance();
  volatile AgentProto.ListRoutesResponse routes =
      AgentProto.ListRoutesResponse.getDefaultInstance();
  volatile AgentProto.NodeStatusResponse node = AgentProto.NodeStatusResponse.getDefaultInstance();
  volatile AgentProto.RecoverResponse recover = AgentProto.RecoverResponse.getDefaultInstance();
  volatile AgentProto.HistoryResponse history = AgentProto.HistoryResponse.getDefaultInstance();
  volatile AgentProto.RollbackResponse rollback = AgentProto.RollbackResponse.getDefaultInstance();
  volatile List<AgentProto.LogLine> logLines = List.of();
  volatile List<AgentProto.Event> events = List.of();

  /** Counted down when a client cancels a followed stream. */
  final CountDownLatch streamCancelled = new CountDownLatch(1);

  /** Counted down when a followed stream has sent what it holds and waits for more. */
  final CountDownLatch streamFollowing = new CountDownLatch(1);

  // Per service: the answers of successive GetService calls; the last one repeats.
  private final Map<String, List<AgentProto.Service>> serviceAnswers = new ConcurrentHashMap<>();
  private final Map<String, Integer> serviceCalls = new ConcurrentHashMap<>();

  /** GetService for {@code name} answers these, one per call; the last one from then on. */
  void answers(String name, AgentProto.Service... answers) {
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
  public void apply(
      AgentProto.ApplyRequest request, StreamObserver<AgentProto.ApplyResponse> observer) {
    unary("Apply", request, observer, () -> apply);
  }

  @Override
  public void getService(
      AgentProto.GetServiceRequest request, StreamObserver<AgentProto.Service> observer) {
    unary(
        "GetService",
        request,
        observer,
        () -> {
          List<AgentProto.Service> answers = serviceAnswers.get(request.getName());
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
      AgentProto.ListServicesRequest request,
      StreamObserver<AgentProto.ListServicesResponse> observer) {
    unary("ListServices", request, observer, () -> list);
  }

  @Override
  public void stopService(
      AgentProto.ServiceRequest request, StreamObserver<AgentProto.Service> observer) {
    unary("StopService", request, observer, AgentProto.Service::getDefaultInstance);
  }

  @Override
  public void startService(
      AgentProto.ServiceRequest request, StreamObserver<AgentProto.Service> observer) {
    unary("StartService", request, observer, AgentProto.Service::getDefaultInstance);
  }

  @Override
  public void restartService(
      AgentProto.ServiceRequest request, StreamObserver<AgentProto.Service> observer) {
    unary("RestartService", request, observer, AgentProto.Service::getDefaultInstance);
  }

  @Override
  public void deleteService(
      AgentProto.ServiceRequest request,
      StreamObserver<AgentProto.DeleteServiceResponse> observer) {
    unary(
        "DeleteService",
        request,
        observer,
        () -> AgentProto.DeleteServiceResponse.newBuilder().setName(request.getName()).build());
  }

  @Override
  public void recover(
      AgentProto.RecoverRequest request, StreamObserver<AgentProto.RecoverResponse> observer) {
    unary("Recover", request, observer, () -> recover);
  }

  @Override
  public void history(
      AgentProto.HistoryRequest request, StreamObserver<AgentProto.HistoryResponse> observer) {
    unary("History", request, observer, () -> history);
  }

  @Override
  public void rollback(
      AgentProto.RollbackRequest request, StreamObserver<AgentProto.RollbackResponse> observer) {
    unary("Rollback", request, observer, () -> rollback);
  }

  @Override
  public void nodeStatus(
      AgentProto.NodeStatusRequest request,
      StreamObserver<AgentProto.NodeStatusResponse> observer) {
    unary("NodeStatus", request, observer, () -> node);
  }

  @Override
  public void listRoutes(
      AgentProto.ListRoutesRequest request,
      StreamObserver<AgentProto.ListRoutesResponse> observer) {
    unary("ListRoutes", request, observer, () -> routes);
  }

  @Override
  public void logs(AgentProto.LogsRequest request, StreamObserver<AgentProto.LogLine> observer) {
    stream("Logs", request, observer, logLines, request.getFollow());
  }

  @Override
  public void watch(AgentProto.WatchRequest request, StreamObserver<AgentProto.Event> observer) {
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
