"""Certificate lists (证明事项): the negative list, retained certificates and the issuance register.

Reserved for that capability; it holds no models yet.
"""
