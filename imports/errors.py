"""The one error of reading a partner's file, shared by the readers of each kind of file."""


class FileError(Exception):
    """The file as a whole cannot be read: one message for the user, nothing imported."""
