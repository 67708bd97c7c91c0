using System.Data;
using System.Globalization;
using System.Data.Common;
using Dapper;

namespace Epsilon.Core.Store;

/// <summary>
/// Reads whose every row is in memory before a column is read. Dapper's own async queries (and Npgsql's ExecuteScalar)
/// ask for SequentialAccess, under which Npgsql reads a column that has not arrived yet with a blocking socket read. The
/// gateway runs socket continuations on the socket engine's own thread (inline completions), so that blocking read waits
/// for the thread it blocks: every socket of the process stalls until the read times out. Without SequentialAccess,
/// Npgsql's ReadAsync buffers the whole row, and Dapper's row parsers read it from memory.
/// </summary>
internal static class BufferedQueries
{
    /// <summary>The rows of <paramref name="command"/>, each mapped to <typeparamref name="T"/>.</summary>
    public static async Task<List<T>> QueryRowsAsync<T>(this DbConnection connection, CommandDefinition command)
    {
        await using var reader = await connection.ExecuteReaderAsync(command, CommandBehavior.Default).ConfigureAwait(false);
        var parse = IsScalar(typeof(T)) ? ScalarParser<T>() : reader.GetRowParser<T>();
        var rows = new List<T>();
        while (await reader.ReadAsync(command.CancellationToken).ConfigureAwait(false))
        {
            rows.Add(parse(reader));
        }

        return rows;
    }

    /// <summary>
    /// The rows of <paramref name="command"/> as two objects each: the columns before the first named
    /// <paramref name="splitOn"/> make a <typeparamref name="TFirst"/>, the rest a <typeparamref name="TSecond"/>, null
    /// when its first column is (an outer join's missing side).
    /// </summary>
    public static async Task<List<TResult>> QueryRowsAsync<TFirst, TSecond, TResult>(this DbConnection connection, CommandDefinition command,
        Func<TFirst, TSecond?, TResult> map, string splitOn)
        where TSecond : class
    {
        await using var reader = await connection.ExecuteReaderAsync(command, CommandBehavior.Default).ConfigureAwait(false);
        var split = Enumerable.Range(1, reader.FieldCount - 1).First(i => string.Equals(reader.GetName(i), splitOn, StringComparison.OrdinalIgnoreCase));
        var first = reader.GetRowParser<TFirst>(startIndex: 0, length: split);
        var second = reader.GetRowParser<TSecond?>(startIndex: split, length: reader.FieldCount - split, returnNullIfFirstMissing: true);
        var rows = new List<TResult>();
        while (await reader.ReadAsync(command.CancellationToken).ConfigureAwait(false))
        {
            rows.Add(map(first(reader), second(reader)));
        }

        return rows;
    }

    /// <summary>A value of one column, converted as Dapper converts scalars (an integer column read as long, for instance).</summary>
    private static Func<DbDataReader, T> ScalarParser<T>()
    {
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return reader => reader.IsDBNull(0) ? default! : (T)Convert.ChangeType(reader.GetValue(0), type, CultureInfo.InvariantCulture);
    }

    private static bool IsScalar(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) is { IsPrimitive: true } || type == typeof(string) || type == typeof(decimal);

    /// <summary>The first column of the first row of <paramref name="command"/>, or default when it has no row or the value is null.</summary>
    public static async Task<T?> QueryScalarAsync<T>(this DbConnection connection, CommandDefinition command) =>
        (await connection.QueryRowsAsync<T>(command).ConfigureAwait(false)).FirstOrDefault();
}
