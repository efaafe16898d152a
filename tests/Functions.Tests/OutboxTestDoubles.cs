using FuncRegistry.Functions.Documents;
using FuncRegistry.Functions.Enterprises;
using FuncRegistry.Functions.Deadlines;
using System.Collections.Concurrent;
using FuncRegistry.Functions.Outbox;
using FuncRegistry.Functions.Sms;
using FuncRegistry.Functions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Tests;

/// <summary>
/// A gateway that is not idempotent at all: it counts every call per message id and answers as
/// scripted (then "sent"). Whatever de-duplication a test sees is the outbox's.
/// </summary>
public sealed class CountingGateway : ISmsGateway
{
    private readonly ConcurrentQueue<SmsSendResult> _script = new();

    public ConcurrentQueue<SmsRequest> Calls { get; } = new();

    /// <summary>Answers every call with this failure until cleared.</summary>
    public SmsSendResult.Failed? Down { get; set; }

    public void Then(params SmsSendResult[] results)
    {
        foreach (var r in results) _script.Enqueue(r);
    }

    public int CallsFor(string messageId) => Calls.Count(c => c.MessageId == messageId);

    public Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue(request);
        if (Down is { } down) return Task.FromResult<SmsSendResult>(down);
        return Task.FromResult(_script.TryDequeue(out var next) ? next : new SmsSendResult.Sent("gw-" + Calls.Count));
    }

    /// <summary>Registers this instance as the app's gateway.</summary>
    public void Register(IServiceCollection services)
    {
        services.RemoveAll<ISmsGateway>();
        services.AddSingleton<ISmsGateway>(this);
    }
}

/// <summary>
/// The process "dies" between commit and dispatch: the transition is committed (with its outbox
/// rows and their safety-net timer) and nothing of the dispatch right after it happens.
/// </summary>
public sealed class DyingDispatcher(
    ApplicationStore applications, CertificateStore certificates, SmsDispatcher sms, PoisonQueue poison,
    ReviewerWebhookClient reviewerWebhooks, DocumentStore documents, IOptions<OutboxOptions> options, TimeProvider clock, ILogger<OutboxDispatcher> logger,
    EnterpriseChangeEffect enterpriseChanges, EnterpriseClaims enterpriseClaims, EnterpriseStore enterprises)
    : OutboxDispatcher(applications, certificates, sms, poison, reviewerWebhooks, documents, options, clock, logger, enterpriseChanges, enterpriseClaims, enterprises)
{
    public override Task<StoredApplication> DispatchAsync(StoredApplication stored, int priorFailures = 0, CancellationToken cancellationToken = default) =>
        throw new ProcessDiedException();

    /// <summary>Registers it in place of the real dispatcher.</summary>
    public static void Register(IServiceCollection services)
    {
        services.RemoveAll<OutboxDispatcher>();
        services.AddSingleton<OutboxDispatcher, DyingDispatcher>();
    }
}

public sealed class ProcessDiedException() : Exception("the process died after the commit, before the dispatch");
