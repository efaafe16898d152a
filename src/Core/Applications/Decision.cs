namespace FuncRegistry.Core.Applications;

/// <summary>The outcome of deciding a command: events to append (possibly none) or a refusal.</summary>
public sealed record Decision(IReadOnlyList<ApplicationEvent> Events, Refusal? Refusal)
{
    /// <summary>Nothing to do: a repeated identical decision.</summary>
    public static Decision Unchanged { get; } = new([], null);

    /// <summary>True when refused.</summary>
    public bool IsRefused => Refusal is not null;

    /// <summary>Accept with these events.</summary>
    public static Decision Accept(params ApplicationEvent[] events) => new(events, null);

    /// <summary>Refuse.</summary>
    public static Decision Refuse(RefusalKind kind, string code, string message) => new([], new Refusal(kind, code, message));

    /// <summary>Refuse with a ready refusal.</summary>
    public static implicit operator Decision(Refusal refusal) => new([], refusal);
}
