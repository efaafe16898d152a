using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Deadlines;

/// <summary>
/// Runs the <see cref="TimerSweep"/> when the app runs on its own (locally): at start, then every
/// <see cref="DeadlineOptions.SweepInterval"/>, waiting twice as long after each failure up to
/// <see cref="DeadlineOptions.MaxSweepBackoff"/>. In Azure the ReviewClock timer trigger calls the
/// same sweep and this loop is off (<c>Deadlines:RunSweeper=false</c>).
/// </summary>
public sealed class ReviewClockLoop(TimerSweep sweep, IOptions<DeadlineOptions> options, TimeProvider clock, ILogger<ReviewClockLoop> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.RunSweeper) return;
        var wait = o.SweepInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await sweep.SweepAsync(stoppingToken);
                wait = o.SweepInterval;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, o.MaxSweepBackoff.Ticks));
                logger.LogWarning(e, "Review clock sweep failed; next try in {Wait}", wait);
            }
            try { await Task.Delay(wait, clock, stoppingToken); } catch (OperationCanceledException) { return; }
        }
    }
}
