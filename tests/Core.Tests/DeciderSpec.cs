using FuncRegistry.Core.Applications;

namespace FuncRegistry.Core.Tests;

/// <summary>Given(history).When(command).Then(events | nothing | refusal), over <see cref="ApplicationDecider"/>.</summary>
internal sealed class DeciderSpec
{
    private readonly ApplicationState _state;

    private DeciderSpec(ApplicationState state) => _state = state;

    public static DeciderSpec Given(params ApplicationEvent[] history) => new(ApplicationState.From(history));

    public DeciderOutcome When(ApplicationCommand command) => new(_state, ApplicationDecider.Decide(command, _state));
}

internal sealed class DeciderOutcome(ApplicationState before, Decision decision)
{
    public Decision Decision { get; } = decision;

    /// <summary>Asserts exactly these events and returns the state they lead to.</summary>
    public ApplicationState Then(params ApplicationEvent[] expected)
    {
        Assert.Null(Decision.Refusal);
        Assert.Equal(expected, Decision.Events);
        return Decision.Events.Aggregate(before, ApplicationState.Evolve);
    }

    /// <summary>Asserts an accepted decision with one event of type <typeparamref name="T"/> and returns it.</summary>
    public T ThenSingle<T>() where T : ApplicationEvent
    {
        Assert.Null(Decision.Refusal);
        return Assert.IsType<T>(Assert.Single(Decision.Events));
    }

    /// <summary>A repeated identical decision: accepted, no events.</summary>
    public void ThenNothingHappens()
    {
        Assert.Null(Decision.Refusal);
        Assert.Empty(Decision.Events);
    }

    public Refusal ThenRefused(RefusalKind kind, string? code = null)
    {
        var refusal = Assert.IsType<Refusal>(Decision.Refusal);
        Assert.Empty(Decision.Events);
        Assert.Equal(kind, refusal.Kind);
        if (code is not null) Assert.Equal(code, refusal.Code);
        return refusal;
    }
}
