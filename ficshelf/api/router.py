from ninja import Router

# One router for reads and writes: operations on one path must share it (ninja makes one URL
# pattern per path and router).
router = Router()
