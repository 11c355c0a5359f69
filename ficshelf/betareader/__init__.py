"""The beta reader: an offline checker for the mechanical errors of fan fiction.

Built on Harper (harper-py, offline, in process) with Ficshelf's own fiction rules on top.
Nothing leaves the archive's machine.
"""
