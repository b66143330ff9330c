using System.Data.Common;

namespace Wafer.Storage;

/// <summary>A SQLite state database whose file is damaged: SQLite refuses it, or its integrity check finds faults.</summary>
internal sealed class StateDatabaseCorruptException(string message, Exception? inner = null) : DbException(message, inner);
