namespace FuncRegistry.Functions.Certificates;

/// <summary>What became of one row the import wrote.</summary>
public enum RowOutcome { Imported, Unchanged, Conflict }

/// <summary>
/// Counts an import's rows as they are written and logs a progress line every
/// <see cref="CertificateImport.ProgressEvery"/> rows and at the end: counts and rows per second
/// only, never a line's content (names and ID numbers stay out of the logs).
/// </summary>
public sealed class ImportProgress(int rows, int rejectedWhileParsing, TimeProvider clock, ILogger logger)
{
    private readonly long _started = clock.GetTimestamp();
    private int _imported, _unchanged, _conflicts, _done;

    public int Imported => _imported;
    public int Unchanged => _unchanged;

    /// <summary>Counts a written row (thread-safe).</summary>
    public void Count(RowOutcome outcome)
    {
        if (outcome == RowOutcome.Imported) Interlocked.Increment(ref _imported);
        else if (outcome == RowOutcome.Unchanged) Interlocked.Increment(ref _unchanged);
        else Interlocked.Increment(ref _conflicts);
        var done = Interlocked.Increment(ref _done);
        if (done % CertificateImport.ProgressEvery == 0 && done < rows) Log("Register import in progress", done);
    }

    /// <summary>The last line, once every row is written.</summary>
    public void Finished() => Log("Register import finished", _done);

    private void Log(string message, int done)
    {
        var seconds = clock.GetElapsedTime(_started).TotalSeconds;
        logger.LogInformation("{Message}: {Done}/{Rows} rows written ({Imported} imported, {Unchanged} unchanged, {Conflicts} conflicting), "
            + "{RejectedWhileParsing} lines rejected before writing, {RowsPerSecond} rows/s",
            message, done, rows, Volatile.Read(ref _imported), Volatile.Read(ref _unchanged), Volatile.Read(ref _conflicts),
            rejectedWhileParsing, seconds > 0 ? Math.Round(done / seconds) : 0);
    }
}
