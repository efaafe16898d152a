namespace FuncRegistry.Bench.Durable;

/// <summary>
/// What the baseline orchestration reads of an application's Table row before each wait: the
/// round and the decisions committed in it. The row, not the event, is the truth: an event only
/// says "look again".
/// </summary>
public sealed record ApplicationRow(int Round, string? City, string? Province);
